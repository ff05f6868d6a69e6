from django.urls import path

from . import (
    callback_views,
    daily_views,
    dashboard_views,
    monthly_views,
    notice_views,
    weekly_views,
)

app_name = "supervision"
urlpatterns = [
    path("", dashboard_views.dashboard_home, name="dashboard_home"),
    path("dashboard/<str:code>/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/<str:code>/map/", dashboard_views.dashboard_map, name="dashboard_map"),
    path("dashboard/<str:code>/export/", dashboard_views.dashboard_export, name="dashboard_export"),
    path("daily/", daily_views.daily_home, name="daily_home"),
    path("daily/<str:code>/", daily_views.daily, name="daily"),
    path("daily/<str:code>/export/", daily_views.daily_export, name="daily_export"),
    path("weekly/", weekly_views.weekly, name="weekly"),
    path("weekly/draft/", weekly_views.draft, name="weekly_draft"),
    path("weekly/mine/", weekly_views.mine, name="weekly_mine"),
    path("weekly/<int:list_id>/", weekly_views.list_detail, name="rectification_list"),
    path("weekly/<int:list_id>/issue/", weekly_views.issue, name="rectification_issue"),
    path("weekly/<int:list_id>/export/", weekly_views.export, name="rectification_export"),
    path(
        "weekly/items/<int:item_id>/<slug:action>/",
        weekly_views.act,
        name="rectification_act",
    ),
    path("monthly/", monthly_views.report_list, name="monthly_list"),
    path("monthly/<int:report_id>/", monthly_views.report_detail, name="monthly"),
    path("monthly/<int:report_id>/meeting/", monthly_views.meeting, name="monthly_meeting"),
    path("monthly/<int:report_id>/xlsx/", monthly_views.export_xlsx, name="monthly_xlsx"),
    path("monthly/<int:report_id>/pdf/", monthly_views.export_pdf, name="monthly_pdf"),
    path("callbacks/", callback_views.callback_list, name="callbacks"),
    path("callbacks/<str:number>/", callback_views.call_back, name="call_back"),
    path("notices/", notice_views.notice_list, name="notices"),
    path("notices/new/", notice_views.notice_edit, name="notice_new"),
    path("notices/<int:notice_id>/", notice_views.notice_detail, name="notice"),
    path("notices/<int:notice_id>/edit/", notice_views.notice_edit, name="notice_edit"),
    path("notices/<int:notice_id>/publish/", notice_views.publish, name="notice_publish"),
    path("notices/<int:notice_id>/pdf/", notice_views.notice_pdf, name="notice_pdf"),
]
