"""API routes of provincial reports; config/urls.py includes them under /api/v1/."""

from django.urls import path

from nongsan.reports import api

urlpatterns = [
    path("reports/", api.ReportListView.as_view(), name="api-report-list"),
    path("reports/<int:pk>/", api.ReportDetailView.as_view(), name="api-report-detail"),
    path("reports/<int:pk>/submit/", api.ReportSubmitView.as_view(), name="api-report-submit"),
    path("reports/<int:pk>/approve/", api.ReportApproveView.as_view(), name="api-report-approve"),
    path("reports/<int:pk>/return/", api.ReportReturnView.as_view(), name="api-report-return"),
]
