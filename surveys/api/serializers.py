"""Serializers of the REST API.

Output serializers read model rows and the immutable edition objects; input
serializers only check the shape of a request. Whether a change is allowed, and what
it does, is decided by the services alone (surveys/responses/services.py,
surveys/review/workflow.py …; DESIGN.md, conventions 1 and 2).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from standards.models import Office, Standard
from standards.numbers import DEFAULT_LIMIT, IPR_TYPES, CheckDigit, Verdict
from standards.profiles import PROFILES
from surveys.models import (
    NumberingSystem,
    QuestionnaireEdition,
    SurveyResponse,
    SurveyRound,
)
from surveys.permissions import may, office_rows
from surveys.questionnaire.edition import QUESTION_TYPES, Edition, Question, tr
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.evaluation import Evaluation, Issue
from surveys.review.workflow import TRANSITIONS, allowed_actions, may_change_answers

WORKFLOW_ACTION_NAMES = tuple(TRANSITIONS)


# --- texts and small shapes ------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class TextField(serializers.Field):
    """A text of the edition definition ({"en": …, "fr": …}) in English.

    The definition keeps every language; the API gives the English text, which is the
    one every edition has (surveys/questionnaire/edition.py checks it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return tr(value)


class IssueSerializer(serializers.Serializer):
    question_id = serializers.CharField()
    code = serializers.CharField(help_text="A stable code, e.g. “required”, “unknown_choice”, “bad_length”.")
    message = serializers.CharField()


def issue_dict(issue: Issue) -> dict[str, str]:
    return {"question_id": issue.question_id, "code": issue.code, "message": issue.message}


def errors_dict(evaluation: Evaluation) -> dict[str, list[dict[str, str]]]:
    return {qid: [issue_dict(i) for i in issues] for qid, issues in evaluation.errors.items()}


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField(help_text="The version now stored; send it with your next request.")
    your_version = serializers.IntegerField(help_text="The version the request said it was based on.")


class InvalidResponseSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=IssueSerializer(many=True), help_text="Question ID → what is wrong with its answer."
    )
    unconfirmed_sections = serializers.ListField(
        child=serializers.CharField(), help_text="Sections of a pre-filled response still to confirm."
    )


# --- reference data --------------------------------------------------------------------


class OfficeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:office-detail", lookup_field="code")

    class Meta:
        model = Office
        fields = ["code", "name", "kind", "url"]


class StandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Standard
        fields = ["code", "title", "version", "adopted", "url"]


# --- editions: the question tree -------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class ColumnSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = TextField()


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "additionalProperties": True,
        "description": (
            "When the question applies: null for always, otherwise one operator with its argument: "
            '{"eq": [qid, code]}, {"in": [qid, [codes]]}, {"has": [qid, code]} (a multi answer contains the code), '
            '{"answered": qid}, {"all": [conditions]}, {"any": [conditions]}, {"not": condition}. '
            "Conditions are evaluated on the answers of applicable questions only."
        ),
        "example": {"eq": ["q4a", "fixed"]},
    }
)
class ConditionField(serializers.JSONField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


class QuestionSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Stable question ID, e.g. “q5a”: the key of its answer.")
    section = serializers.CharField(source="section_id")
    number = serializers.IntegerField()
    letter = serializers.CharField(allow_null=True)
    type = serializers.ChoiceField(choices=sorted(QUESTION_TYPES))
    text = TextField()
    required = serializers.BooleanField(help_text="Required when the question applies (never when it does not).")
    condition = ConditionField()
    choices = serializers.SerializerMethodField(help_text="Choice codes (the stored values) and their labels.")
    help = TextField(allow_null=True)
    examples = serializers.ListField(child=serializers.IntegerField(), help_text="Numbers of the help examples.")
    continuation = TextField(allow_null=True)
    answer_format = TextField(allow_null=True)
    parts_from = serializers.CharField(
        allow_null=True, help_text="part_lengths/order: one value per choice ticked in this question."
    )
    range = serializers.BooleanField(help_text="part_lengths: {part: {min, max}} instead of {part: n}.")
    rows_from = serializers.CharField(
        allow_null=True, help_text="grid: one row per choice ticked in this question, keyed by its code."
    )
    columns = ColumnSerializer(many=True)
    min_rows = serializers.IntegerField()
    max_rows = serializers.IntegerField(allow_null=True)
    catalogue = serializers.CharField(allow_null=True)
    attachment = serializers.BooleanField()
    min = serializers.IntegerField(allow_null=True)

    @extend_schema_field(ChoiceSerializer(many=True))
    def get_choices(self, question: Question) -> list[dict[str, str]]:
        # yes/no questions have no choices in the definition; their codes are fixed.
        return [{"code": code, "label": question.choice_label(code)} for code in question.choice_codes]


class SectionSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = TextField()
    reminder = TextField(allow_null=True, help_text="The ST.13 reminder that opens the section.")
    examples = serializers.ListField(child=serializers.IntegerField())
    questions = QuestionSerializer(many=True)


class HelpExampleSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = TextField()
    body = serializers.ListField(child=TextField())


class InstructionSerializer(serializers.Serializer):
    id = serializers.CharField()
    heading = TextField()
    body = serializers.ListField(child=TextField())
    examples = serializers.ListField(child=serializers.IntegerField())


class EditionSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:edition-detail", lookup_field="slug")

    class Meta:
        model = QuestionnaireEdition
        fields = ["slug", "version", "title", "year", "state", "checksum", "url"]


class EditionSerializer(EditionSummarySerializer):
    introduction = serializers.ListField(child=TextField(), source="structure.introduction")
    instructions = InstructionSerializer(many=True, source="structure.instructions")
    sections = SectionSerializer(many=True, source="structure.sections")
    help_examples = serializers.SerializerMethodField()

    class Meta(EditionSummarySerializer.Meta):
        fields = [*EditionSummarySerializer.Meta.fields, "introduction", "instructions", "sections", "help_examples"]

    @extend_schema_field(HelpExampleSerializer(many=True))
    def get_help_examples(self, row: QuestionnaireEdition) -> list[dict[str, Any]]:
        examples = row.structure.examples
        return HelpExampleSerializer([examples[n] for n in sorted(examples)], many=True).data


# --- rounds and numbering systems ------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:round-detail", lookup_field="slug")
    edition = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    invited_offices = serializers.SerializerMethodField(
        help_text="ST.3 codes of the invited offices; shown to the secretariat only (null for others)."
    )

    class Meta:
        model = SurveyRound
        fields = ["slug", "url", "title", "year", "edition", "opens_on", "closes_on", "status", "invited_offices"]

    def get_invited_offices(self, survey_round: SurveyRound) -> list[str] | None:
        if not may(self.context["request"].user, "surveys.view_invited_offices", survey_round):
            return None
        return sorted(invitation.office_id for invitation in survey_round.invitations.all())


class NumberingSystemSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:numbering-system-detail")
    office = serializers.CharField(source="office_id", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)

    class Meta:
        model = NumberingSystem
        fields = ["id", "url", "office", "office_name", "label", "created_at"]


class NumberingSystemCreateSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=200, help_text="How the office refers to it, e.g. “Trademarks”.")
    office = serializers.CharField(
        max_length=2,
        required=False,
        help_text="ST.3 code of the office; defaults to the user's own office (the only one allowed).",
    )


# --- responses -------------------------------------------------------------------------


class NumberingSystemBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    question_id = serializers.CharField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(help_text="Bytes; 0 when only the name is on record.")


class CommentSerializer(serializers.Serializer):
    question_id = serializers.CharField(help_text="Empty for a comment on the whole response.")
    body = serializers.CharField()
    author = serializers.CharField(source="author.get_username", default="", allow_null=True)
    version = serializers.IntegerField(help_text="The response version the comment was made on.")
    created_at = serializers.DateTimeField()


_ANY_ANSWER = {"description": "An answer as stored: a choice code, a list of codes, text, a number, or an object/rows."}


class ResponseSerializer(serializers.ModelSerializer):
    """A response as the requesting user may see it, with the engine's verdict on it.

    The context carries ``editions`` (edition id → QuestionnaireEdition) so that a page
    of responses parses each edition once and reads no edition row per response."""

    url = serializers.HyperlinkedIdentityField(view_name="api:response-detail")
    public_key = serializers.CharField(read_only=True, help_text="The key of its public page, e.g. “md-002”.")
    round = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    edition = serializers.SerializerMethodField()
    office = serializers.CharField(source="office_id", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)
    numbering_system = NumberingSystemBriefSerializer(read_only=True)
    answers = serializers.SerializerMethodField(
        help_text="Answers of the questions that apply, keyed by question ID (empty answers left out)."
    )
    applicable = serializers.SerializerMethodField(help_text="IDs of the questions that apply, in edition order.")
    errors = serializers.SerializerMethodField(help_text="Question ID → problems; a response submits only without.")
    warnings = serializers.SerializerMethodField(help_text="Consistency warnings for review; they never block.")
    complete = serializers.SerializerMethodField(help_text="No errors: the answers could be submitted.")
    allowed_actions = serializers.SerializerMethodField(
        help_text="Workflow steps the requesting user may take now (POST /api/responses/{id}/{action}/)."
    )
    can_edit = serializers.SerializerMethodField(help_text="Whether the requesting user may save answers now.")
    # The model's answers set aside, under the key the API has always given them.
    stashed_answers = serializers.SerializerMethodField(
        help_text="Answers to questions that no longer apply, set aside; for the office only (null for others)."
    )
    unconfirmed_sections = serializers.SerializerMethodField(
        help_text="Sections of a pre-filled response the office has not yet confirmed; null for the public."
    )
    comments = serializers.SerializerMethodField(
        help_text="Review comments; for the office and the secretariat (null for the public)."
    )
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "url",
            "public_key",
            "round",
            "edition",
            "office",
            "office_name",
            "numbering_system",
            "sequence",
            "status",
            "version",
            "created_at",
            "updated_at",
            "submitted_at",
            "accepted_at",
            "published_at",
            "complete",
            "answers",
            "applicable",
            "errors",
            "warnings",
            "allowed_actions",
            "can_edit",
            "stashed_answers",
            "confirmed_sections",
            "unconfirmed_sections",
            "carried_answers",
            "comments",
            "attachments",
        ]
        read_only_fields = fields

    # The edition row and the engine's evaluation are worked out once per response.

    def _edition_row(self, response: SurveyResponse) -> QuestionnaireEdition:
        editions = self.context.get("editions") or {}
        return editions.get(response.round.edition_id) or response.round.edition

    def _edition(self, response: SurveyResponse) -> Edition:
        return self._edition_row(response).structure

    def _evaluation(self, response: SurveyResponse) -> Evaluation:
        cached = response.__dict__.get("_api_evaluation")
        if cached is None:
            cached = evaluate(self._edition(response), response.answers)
            response.__dict__["_api_evaluation"] = cached
        return cached

    def _user(self):
        return self.context["request"].user

    def get_edition(self, response: SurveyResponse) -> str:
        return self._edition_row(response).slug

    @extend_schema_field({"type": "object", "additionalProperties": _ANY_ANSWER})
    def get_answers(self, response: SurveyResponse) -> dict[str, Any]:
        return self._evaluation(response).answers

    def get_applicable(self, response: SurveyResponse) -> list[str]:
        return list(self._evaluation(response).applicable)

    @extend_schema_field(serializers.DictField(child=IssueSerializer(many=True)))
    def get_errors(self, response: SurveyResponse) -> dict[str, list[dict[str, str]]]:
        return errors_dict(self._evaluation(response))

    @extend_schema_field(IssueSerializer(many=True))
    def get_warnings(self, response: SurveyResponse) -> list[dict[str, str]]:
        return [issue_dict(i) for i in self._evaluation(response).warnings]

    def get_complete(self, response: SurveyResponse) -> bool:
        return self._evaluation(response).is_valid

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=WORKFLOW_ACTION_NAMES)))
    def get_allowed_actions(self, response: SurveyResponse) -> list[str]:
        return allowed_actions(response, self._user())

    def get_can_edit(self, response: SurveyResponse) -> bool:
        return may_change_answers(response, self._user())

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": _ANY_ANSWER})
    def get_stashed_answers(self, response: SurveyResponse) -> dict[str, Any] | None:
        return response.set_aside_answers if may(self._user(), "surveys.view_set_aside_answers", response) else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_unconfirmed_sections(self, response: SurveyResponse) -> list[str] | None:
        if not may(self._user(), "surveys.view_private_surveyresponse", response):
            return None
        if response.prefilled_from_id is None:
            return []
        confirmed = set(response.confirmed_sections or ())
        return [s.id for s in self._edition(response).sections if s.id not in confirmed]

    @extend_schema_field(CommentSerializer(many=True, allow_null=True))
    def get_comments(self, response: SurveyResponse) -> list[dict[str, Any]] | None:
        if not may(self._user(), "surveys.view_private_surveyresponse", response):
            return None
        return CommentSerializer(response.comments.all(), many=True).data

    def to_representation(self, instance: SurveyResponse) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not may(self._user(), "surveys.view_private_surveyresponse", instance):
            # What the office agreed among itself before publication is not public.
            data["confirmed_sections"] = None
            data["carried_answers"] = None
        return data


class ResponseCreateSerializer(serializers.Serializer):
    round = serializers.SlugRelatedField(
        slug_field="slug", queryset=SurveyRound.objects.none(), help_text="Slug of the round."
    )
    numbering_system = serializers.PrimaryKeyRelatedField(
        queryset=NumberingSystem.objects.none(), help_text="ID of one of your office's numbering systems."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator looks at the fields only
            return
        user = request.user
        self.fields["round"].queryset = SurveyRound.objects.readable_by(user)
        # The office's own systems (every one for the secretariat, whom the service refuses: 403).
        systems = office_rows(NumberingSystem.objects.select_related("office"), user)
        self.fields["numbering_system"].queryset = systems


class ResponseDraftSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text=(
            "Answers keyed by question ID. PUT: the complete set (questions left out are unanswered; answers to "
            "questions that do not apply are set aside). PATCH: only the answers to change; null clears one."
        ),
    )
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read; a save based on an older one is refused with 409."
    )
    confirmed_sections = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Section IDs confirmed as still correct after pre-filling (replaces the stored list).",
    )

    def validate_answers(self, answers: dict[str, Any]) -> dict[str, Any]:
        edition: Edition = self.context["edition"]
        unknown = sorted(qid for qid in answers if qid not in edition.by_id)
        if unknown:
            raise serializers.ValidationError(f"Unknown question ID(s): {', '.join(unknown)}.")
        return answers


class WorkflowSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you read; if given and no longer current: 409."
    )


class CommentedWorkflowSerializer(WorkflowSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ReturnSerializer(CommentedWorkflowSerializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="What the office should change, in general."
    )
    question_comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=4000),
        required=False,
        help_text="Question ID → what to change in that answer. A return needs a comment or a question comment.",
    )


# --- ST.13 -----------------------------------------------------------------------------


VERDICTS = ("complies", "deviates", "not_applicable", "unknown")
# The overall verdict is never "not applicable": rules that do not apply count as complying.
OVERALL_VERDICTS = ("complies", "deviates", "unknown")


class RuleSerializer(serializers.Serializer):
    section = serializers.CharField(help_text="ST.13 section letter, a–g.")
    title = serializers.CharField()
    verdict = serializers.ChoiceField(choices=VERDICTS)
    reason = serializers.CharField()
    answers_used = serializers.ListField(child=serializers.CharField())


class ComplianceReportSerializer(serializers.Serializer):
    overall = serializers.ChoiceField(choices=OVERALL_VERDICTS)
    declared = serializers.BooleanField(allow_null=True, help_text="The office's own answer to q13a.")
    disagrees = serializers.BooleanField(help_text="The declaration contradicts the evaluation: review.")
    codes_declared = serializers.CharField(
        allow_null=True, help_text="The office's own answer to q5c: are its type codes those of ST.13?"
    )
    codes_disagree = serializers.BooleanField(
        help_text="The office's word on its type codes (q5c) contradicts the codes it gives (q5b): review."
    )
    summary = serializers.CharField()
    rules = RuleSerializer(many=True)


# The checker's verdict on a number (its schema enum is named in the settings).
NUMBER_VERDICTS = [(v.value, v.value) for v in Verdict]


class ParsedNumberSerializer(serializers.Serializer):
    input = serializers.CharField()
    office_code = serializers.CharField(allow_null=True)
    ok = serializers.BooleanField(help_text="The number is valid (whatever became of its check digit).")
    verdict = serializers.ChoiceField(
        choices=NUMBER_VERDICTS,
        help_text="valid · valid_check_digit_not_given · valid_check_digit_not_verified · error · no_st13_form.",
    )
    verdict_label = serializers.CharField(help_text="The verdict in the language of the request.")
    reason = serializers.CharField(allow_null=True, help_text="Why the verdict is not a plain valid.")
    check_digit = serializers.ChoiceField(
        choices=[c.value for c in CheckDigit], help_text="none · verified · not_given · not_verified · wrong."
    )
    check_note = serializers.CharField(allow_null=True, help_text="How the check digit was verified, or why not.")
    parts = serializers.DictField(child=serializers.CharField(), help_text="Part code (q2a) → characters found.")
    st13 = serializers.CharField(
        allow_null=True, help_text="The 15-character ST.13 machine-readable form, when every part is known."
    )
    st13_display = serializers.CharField(allow_null=True)
    st13_partial = serializers.CharField(
        allow_null=True, help_text="The 15 characters with ? where a part cannot be known (e.g. a trademark's type)."
    )
    office_display = serializers.CharField(allow_null=True)
    priority = serializers.CharField(allow_null=True, help_text="As a priority application number.")
    profile = serializers.CharField(allow_null=True, help_text="The built-in numbering profile that read it.")
    errors = serializers.ListField(child=serializers.CharField())
    assumptions = serializers.ListField(child=serializers.CharField())


class ExampleCheckSerializer(ParsedNumberSerializer):
    row = serializers.IntegerField(help_text="Row of the q14a table, from 1.")
    column = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    response = serializers.IntegerField()
    public_key = serializers.CharField()
    compliance = ComplianceReportSerializer()
    examples = ExampleCheckSerializer(many=True, help_text="The q14a examples read against the declared structure.")


class St13ParseRequestSerializer(serializers.Serializer):
    numbers = serializers.ListField(
        child=serializers.CharField(max_length=200),
        min_length=1,
        help_text=f"Application numbers as the office writes them, with or without the ST.3 code; at most "
        f"{DEFAULT_LIMIT:,} numbers and 150,000 characters in all unless the site sets other limits "
        "(WIPOSTAD_CHECKER_MAX_NUMBERS, WIPOSTAD_CHECKER_MAX_CHARACTERS): more is refused with 413.",
    )
    office = serializers.CharField(
        max_length=2, required=False, help_text="ST.3 code; optional with a response (it is the response's office)."
    )
    response = serializers.IntegerField(
        min_value=1, required=False, help_text="ID of a response you may read: its answers give the structure."
    )
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text="A structure given as answers to q1a–q11c, keyed by question ID, as a response stores them.",
    )
    profile = serializers.ChoiceField(
        choices=[p.key for p in PROFILES],
        required=False,
        help_text="Key of a built-in numbering profile (GET /api/st13/profiles/ lists them).",
    )
    ipr_type = serializers.ChoiceField(
        choices=IPR_TYPES, required=False, help_text="q1a code, when the number itself does not show the IPR type."
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in ("response", "answers", "profile") if name in data]
        if len(given) > 1:
            raise serializers.ValidationError(
                "Give one of: a response ID, answers describing the structure, or a profile (or none of them, "
                "to read each number with the profile of the office in front of it)."
            )
        if "answers" in data and not data.get("office"):
            raise serializers.ValidationError({"office": ["Give the ST.3 code of the office."]})
        return data


class St13SourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class St13ProfileSerializer(serializers.Serializer):
    key = serializers.CharField()
    office = serializers.CharField(help_text="ST.3 code (WO for PCT international applications).")
    name = serializers.CharField()
    examples = serializers.ListField(
        child=serializers.CharField(), help_text="Real numbers, as the office writes them."
    )
    sources = St13SourceSerializer(many=True)


class St13ParseResultSerializer(serializers.Serializer):
    office = serializers.CharField(allow_null=True)
    response = serializers.IntegerField(allow_null=True)
    profile = serializers.CharField(allow_null=True, help_text="The profile given, if any.")
    count = serializers.IntegerField()
    valid = serializers.IntegerField()
    invalid = serializers.IntegerField()
    verdicts = serializers.DictField(child=serializers.IntegerField(), help_text="How many numbers got each verdict.")
    ignored_answers = serializers.ListField(
        child=serializers.CharField(), help_text="Given answers to questions that do not apply; not used."
    )
    results = ParsedNumberSerializer(many=True)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="The code the authenticator app shows now; for accounts with two-factor authentication only.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as the header “Authorization: Token <token>”.")
