/*
 * The price board's chart: reads the JSON named by the canvas's data-url and draws the modal
 * price of each province over time (Chart.js, vendored). No inline script: CSP forbids it.
 */
(function () {
  "use strict";
  var canvas = document.getElementById("price-chart");
  if (!canvas || typeof window.Chart === "undefined") {
    return;
  }
  var colours = ["#1b5e20", "#0b4f9c", "#8a1c13", "#5a4300"];
  var money = new Intl.NumberFormat("vi-VN");
  fetch(canvas.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(function (data) {
      var datasets = data.series.map(function (series, position) {
        return {
          label: series.name,
          data: series.modal,
          borderColor: colours[position % colours.length],
          backgroundColor: colours[position % colours.length],
          spanGaps: true,
          tension: 0.2,
        };
      });
      var labels = data.days.map(function (day) {
        var parts = day.split("-");
        return parts[2] + "/" + parts[1] + "/" + parts[0];
      });
      new window.Chart(canvas, {
        type: "line",
        data: { labels: labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: {
            y: {
              ticks: {
                callback: function (value) {
                  return money.format(value) + " ₫";
                },
              },
            },
          },
        },
      });
      canvas.setAttribute("data-ready", "true");
    })
    .catch(function () {
      var note = document.getElementById("price-chart-error");
      if (note) {
        note.hidden = false;
      }
    });
})();
