"""The producer registry's models: households, cooperatives, consent, duplicates, merges."""

from nongsan.producers.models.consent import (
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    DataType,
    Purpose,
)
from nongsan.producers.models.cooperatives import Cooperative, CooperativeMembership
from nongsan.producers.models.households import (
    ERASED_NAME,
    Certification,
    CertificationKind,
    DuplicateFlag,
    DuplicateReason,
    DuplicateStatus,
    GrowingAreaCode,
    Household,
    HouseholdCreateRequest,
    HouseholdPhone,
    HouseholdStatus,
    MergeRecord,
    RegistrationChannel,
    same_name_in_commune,
)

__all__ = [
    "ERASED_NAME",
    "Certification",
    "CertificationKind",
    "ConsentMethod",
    "ConsentPurpose",
    "ConsentRecord",
    "Cooperative",
    "CooperativeMembership",
    "DataType",
    "DuplicateFlag",
    "DuplicateReason",
    "DuplicateStatus",
    "GrowingAreaCode",
    "Household",
    "HouseholdCreateRequest",
    "HouseholdPhone",
    "HouseholdStatus",
    "MergeRecord",
    "Purpose",
    "RegistrationChannel",
    "same_name_in_commune",
]
