"""Performance archive (业绩档案), applications, evidence, publicity and the application audit trail."""

from .application import Application, ApplicationEvent, Channel, Evidence, NumberSequence
from .archive import (
    Achievement,
    AnnualAssessment,
    Archive,
    ArchiveEntry,
    ContinuingEducation,
    Education,
    Gender,
    SkillCertificate,
    SocialInsuranceRecord,
    TitleHeld,
    WorkPeriod,
)
from .checkpoint import AuditCheckpoint, CheckpointHead
from .delegation import AuthorisationLetter, Entrustment
from .documents import ReviewForm
from .publicity import Objection, PublicityEntry, PublicityNotice, PublicityStage
from .returns import ReturnBasis
from .storage import PrivateStorage, private_storage

__all__ = [
    "Achievement",
    "AnnualAssessment",
    "Application",
    "ApplicationEvent",
    "Archive",
    "ArchiveEntry",
    "AuditCheckpoint",
    "AuthorisationLetter",
    "CheckpointHead",
    "Channel",
    "ContinuingEducation",
    "Education",
    "Entrustment",
    "Evidence",
    "Gender",
    "NumberSequence",
    "Objection",
    "PrivateStorage",
    "PublicityEntry",
    "PublicityNotice",
    "PublicityStage",
    "ReviewForm",
    "ReturnBasis",
    "SkillCertificate",
    "SocialInsuranceRecord",
    "TitleHeld",
    "WorkPeriod",
    "private_storage",
]
