"""The audit trail in the permission matrix: an entry scoped to a commune."""

from __future__ import annotations

from nongsan.accounts.models import Role
from nongsan.audit.permissions import visible_audit_entries
from nongsan.audit.services import audit_record
from nongsan.common.testing.permission_matrix import ScopedModel, register

register(
    ScopedModel(
        label="audit.auditentry",
        create_in=lambda commune: audit_record(
            action="test.matrix_row", province=commune.province, commune=commune
        ),
        visible=visible_audit_entries,
        seen_by=frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY}),
    )
)
