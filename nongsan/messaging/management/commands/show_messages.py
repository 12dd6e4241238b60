"""manage.py show_messages: read the outbox in a terminal (the code a developer just asked for)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.common.formatting import format_datetime
from nongsan.common.phone import normalize_phone
from nongsan.messaging.management.arguments import positive_whole_number
from nongsan.messaging.models import OutboundMessage
from nongsan.messaging.selectors import message_list


class Command(BaseCommand):
    help = (
        "In các tin nhắn gần nhất (mới nhất ở cuối), lọc theo số điện thoại và mục đích. / "
        "Print the latest messages (newest last), filtered by phone and purpose."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--phone",
            "--recipient",
            dest="recipient",
            default="",
            help="số điện thoại (hoặc địa chỉ thư) người nhận / the recipient's phone or e-mail",
        )
        parser.add_argument("--purpose", default="", help="ví dụ / e.g. sign_up_code")
        parser.add_argument(
            "--last",
            type=positive_whole_number,
            default=20,
            help="số tin nhắn, mặc định 20 / how many, default 20",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recipient = options["recipient"].strip()
        if recipient and "@" not in recipient:
            try:
                recipient = normalize_phone(recipient)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        messages = list(
            message_list(recipient=recipient, purpose=options["purpose"].strip())[: options["last"]]
        )
        if not messages:
            self.stdout.write("Không có tin nhắn nào. / No messages.")
            return
        for message in reversed(messages):
            self.stdout.write(self._describe(message))

    def _describe(self, message: OutboundMessage) -> str:
        """One message as a header line and its body indented below it."""
        header = "  ".join(
            [
                format_datetime(message.created_at),
                message.channel,
                message.recipient,
                message.status,
                message.purpose,
            ]
        )
        lines = [header]
        if message.subject:
            lines.append(f"    {message.subject}")
        lines.extend(f"    {line}" for line in message.body.splitlines())
        if message.error:
            lines.append(f"    ! {message.error}")
        return "\n".join(lines)
