"""Meeting reminders (daily): every active member of a chama hears the day before a
scheduled meeting where and when it starts."""

from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from governance.models import Meeting, MeetingStatus
from governance.services.reminders.batches import Batches, ReminderRun
from groups.choices import MembershipStatus
from groups.models import Membership

MEETING_REMINDER = "meeting_reminder"


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)


@transaction.atomic
def meeting_reminders(*, today: date | None = None) -> ReminderRun:
    """Tomorrow's scheduled meetings (Nairobi's day), to their chamas' active members: two
    queries and one ``notify`` per meeting, keyed ``meeting_reminder:{meeting}``."""
    today = today or timezone.localdate()
    start, end = _day_bounds(today + timedelta(days=1))
    meetings = list(
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED, starts_at__gte=start, starts_at__lt=end
        ).select_related("chama")
    )
    members: dict[UUID, list[UUID]] = {}
    for chama_id, user_id in Membership.objects.filter(
        chama_id__in={m.chama_id for m in meetings}, status=MembershipStatus.ACTIVE
    ).values_list("chama_id", "user_id"):
        members.setdefault(chama_id, []).append(user_id)
    batches = Batches()
    for meeting in meetings:
        starts = timezone.localtime(meeting.starts_at)
        batches.add_many(
            event=MEETING_REMINDER,
            key=f"{MEETING_REMINDER}:{meeting.pk}",
            chama_id=meeting.chama_id,
            context={
                "chama": meeting.chama.name,
                "date": starts.date().isoformat(),
                "time": starts.strftime("%H:%M"),
                "venue": meeting.place or meeting.video_link or "-",
            },
            user_ids=members.get(meeting.chama_id, []),
        )
    return batches.send()
