/*
 * The programme dashboards: a line chart of the headline indicator by month (Chart.js) and,
 * on the national page, a choropleth of the 34 provinces (Leaflet, no tiles: only the shipped
 * province shapes). Data come from JSON endpoints named by data- attributes; no inline script.
 */
(function () {
  "use strict";
  var bandColours = { done: "#1b5e20", near: "#b7791f", behind: "#b42318", none: "#9e9e9e" };

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      }
    );
  }

  var canvas = document.getElementById("programme-chart");
  if (canvas && typeof window.Chart !== "undefined") {
    getJson(canvas.dataset.url)
      .then(function (data) {
        new window.Chart(canvas, {
          type: "line",
          data: {
            labels: data.months,
            datasets: [
              {
                label: data.label,
                data: data.values,
                borderColor: "#1b5e20",
                backgroundColor: "#1b5e20",
                spanGaps: true,
                tension: 0.2,
              },
            ],
          },
          options: { responsive: true, maintainAspectRatio: false, animation: false },
        });
      })
      .catch(function () {
        var error = document.getElementById("programme-chart-error");
        if (error) {
          error.hidden = false;
        }
      });
  }

  var mapElement = document.getElementById("programme-map");
  if (mapElement && typeof window.L !== "undefined") {
    var map = window.L.map(mapElement, { zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.addAttribution(mapElement.dataset.attribution);
    Promise.all([getJson(mapElement.dataset.geojson), getJson(mapElement.dataset.values)])
      .then(function (results) {
        var shapes = results[0];
        var values = results[1].provinces;
        var layer = window.L.geoJSON(shapes, {
          style: function (feature) {
            var row = values[feature.properties.code] || { band: "none" };
            return {
              fillColor: bandColours[row.band] || bandColours.none,
              fillOpacity: 0.8,
              color: "#ffffff",
              weight: 1,
            };
          },
          onEachFeature: function (feature, shape) {
            var row = values[feature.properties.code];
            var text = feature.properties.name + (row ? ": " + row.text : "");
            shape.bindTooltip(text);
            shape.on("click", function () {
              if (row) {
                window.location.href = row.url;
              }
            });
            if (shape.getElement) {
              shape.on("add", function () {
                var element = shape.getElement();
                if (element) {
                  element.setAttribute("data-province", feature.properties.code);
                  element.setAttribute("aria-label", text);
                }
              });
            }
          },
        }).addTo(map);
        map.fitBounds(layer.getBounds());
        mapElement.setAttribute("data-ready", "true");
      })
      .catch(function () {
        mapElement.textContent = mapElement.dataset.error || "";
      });
  }
})();
