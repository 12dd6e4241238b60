from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from nongsan.accounts.views import language_switch
from nongsan.common.api_docs import ApiDocsRedocView, ApiDocsSwaggerView

urlpatterns = [
    # The language switch also remembers a signed-in person's choice.
    path("i18n/setlang/", language_switch, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", ApiDocsRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "api/v1/docs/swagger/",
        ApiDocsSwaggerView.as_view(url_name="api-schema"),
        name="api-docs-swagger",
    ),
    path("api/v1/", include("nongsan.geo.api_urls")),
    path("api/v1/", include("nongsan.producers.api_urls")),
    path("api/v1/", include("nongsan.onboarding.api_urls")),
    path("api/v1/", include("nongsan.catalog.api_urls")),
    path("api/v1/", include("nongsan.orders.api_urls")),
    path("api/v1/", include("nongsan.payments.api_urls")),
    path("api/v1/", include("nongsan.shipping.api_urls")),
    path("api/v1/", include("nongsan.harvests.api_urls")),
    path("api/v1/", include("nongsan.prices.api_urls")),
    path("api/v1/", include("nongsan.trade.api_urls")),
    path("api/v1/", include("nongsan.programme.api_urls")),
    path("api/v1/", include("nongsan.reports.api_urls")),
    path("api/v1/", include("nongsan.exports.api_urls")),
    path("dia-ban/", include("nongsan.geo.urls")),
    path("ho-san-xuat/", include("nongsan.producers.urls")),
    path("nhap-du-lieu/", include("nongsan.imports.urls")),
    path("lo-trinh/", include("nongsan.onboarding.urls")),
    path("tai-khoan/ma-truy-cap/", include("nongsan.accounts.token_urls")),
    path("tai-khoan/", include("nongsan.accounts.urls")),
    path("tin-nhan/", include("nongsan.messaging.urls")),
    path("nhat-ky/", include("nongsan.audit.urls")),
    path("don-hang/", include("nongsan.orders.urls")),
    path("thanh-toan/", include("nongsan.payments.urls")),
    path("van-chuyen/", include("nongsan.shipping.urls")),
    path("lich-mua-vu/", include("nongsan.harvests.urls")),
    path("gia/", include("nongsan.prices.urls")),
    path("thu-mua/", include("nongsan.trade.urls")),
    path("chuong-trinh/", include("nongsan.programme.urls")),
    path("bao-cao/", include("nongsan.reports.urls")),
    path("xuat-tep/", include("nongsan.exports.urls")),
    path("", include("nongsan.catalog.urls")),
    path("", include("nongsan.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
