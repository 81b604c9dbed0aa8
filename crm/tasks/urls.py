from __future__ import annotations

from django.urls import path

from crm.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list_view, name="task_list"),
    path("new/", views.task_create, name="task_create"),
    path("board/", views.board, name="board"),
    path("calendar/", views.calendar, name="calendar"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("<int:pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/board-move/", views.board_move, name="board_move"),
    path("<int:pk>/reschedule/", views.task_reschedule, name="task_reschedule"),
]
