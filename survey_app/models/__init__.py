"""Database models, split by domain. Import from here."""

from survey_app.models.campaigns import Campaign, CollectionPoint
from survey_app.models.coding import CodebookVersion, CoderModel, ThemeCode
from survey_app.models.questionnaires import QuestionnaireVersion
from survey_app.models.responses import Answer, Draft, Response
from survey_app.models.safeguarding import SafeguardingFlag

__all__ = ["Answer", "Campaign", "CodebookVersion", "CoderModel", "CollectionPoint", "Draft", "QuestionnaireVersion", "Response", "SafeguardingFlag",
           "ThemeCode"]
