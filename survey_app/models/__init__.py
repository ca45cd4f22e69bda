"""Database models, split by domain. Import from here."""

from survey_app.models.agreement import AgreementCoding, AgreementItem, AgreementSample, QuoteChoice
from survey_app.models.audit import AuditEvent
from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.coding import CodebookVersion, CoderModel, ThemeCode
from survey_app.models.earlier_figures import ImportedFigure
from survey_app.models.jobs import CoderFile, Job
from survey_app.models.paper import PaperImport
from survey_app.models.priorities import PartnershipPriority
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.reports import PublishedReport, SavedReport
from survey_app.models.responses import Answer, Draft, Response
from survey_app.models.resume import CodeThrottle, ResumeCode
from survey_app.models.safeguarding import SafeguardingFlag
from survey_app.models.school_sessions import SchoolSession
from survey_app.models.staff import (
    Partnership,
    PopulationEstimate,
    RecoveryCode,
    StaffSession,
    StaffUser,
)
from survey_app.models.starting import StartingModel
from survey_app.models.support_notes import SupportNote

__all__ = [
    "AgreementCoding",
    "AgreementItem",
    "AgreementSample",
    "QuoteChoice",
    "CodebookVersion",
    "CoderModel",
    "ThemeCode",
    "CoderFile",
    "Job",
    "ImportedFigure",
    "PaperImport",
    "PartnershipPriority",
    "CodeThrottle",
    "ResumeCode",
    "SchoolSession",
    "StartingModel",
    "AuditEvent",
    "Partnership",
    "PopulationEstimate",
    "RecoveryCode",
    "StaffSession",
    "StaffUser",
    "Answer",
    "Campaign",
    "CollectionPoint",
    "Draft",
    "QuestionnaireVersion",
    "Response",
    "PublishedReport",
    "SavedReport",
    "SafeguardingFlag",
    "SupportNote",
]
