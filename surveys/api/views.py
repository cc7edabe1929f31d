"""REST API views: scoped fetch → serializer → service → representation.

Reads are scoped by surveys/permissions.py (``readable_by``) as the web pages are; every
change calls the same service function as the web does, and the domain errors it
raises (surveys/errors.py) become HTTP answers in one place (``service_errors``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, mixins, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from standards import profiles
from standards.models import Office, Standard
from standards.numbers import Verdict, parse_numbers
from standards.structure import structure_from_answers
from standards.translation import localize
from surveys.accounts import two_factor
from surveys.checker import limits
from surveys.errors import (
    NotAllowed,
    ResponseBusy,
    ResponseConflict,
    ResponseInvalid,
    WorkflowError,
    database_busy_as_conflict,
)
from surveys.models import (
    NumberingSystem,
    QuestionnaireEdition,
    ReviewComment,
    SurveyResponse,
    SurveyRound,
)
from surveys.permissions import may, office_of
from surveys.questionnaire import authoring
from surveys.questionnaire.engine import evaluate
from surveys.questionnaire.loading import current_numbering_edition
from surveys.responses.compliance import compliance_for_answers, example_checks
from surveys.responses.selectors import get_response_for_user_or_404
from surveys.responses.services import numbering_system_create, response_save_draft, response_start
from surveys.review.workflow import WORKFLOW_ACTIONS

from . import serializers as s
from .filters import FilterBackend, NumberingSystemFilter, OfficeFilter, ResponseFilter, RoundFilter

# --- turning domain errors into HTTP answers -------------------------------------------


class ServiceRefusal(exceptions.APIException):
    """A refusal whose body is given as is (DRF's own exceptions turn numbers into strings)."""

    def __init__(self, status_code: int, payload: dict[str, Any]) -> None:
        self.status_code = status_code
        self.detail = payload


def conflict_message(exc: ResponseConflict) -> str:
    current = exc.response
    who = current.updated_by.get_username() if current.updated_by else "someone else"
    when = timezone.localtime(current.updated_at).strftime("%d/%m/%Y %H:%M %Z")
    return (
        f"The response was changed by {who} at {when} and is now version {current.version}; your request was "
        f"based on version {exc.expected_version}. Nothing was changed: read the response again, re-apply your "
        f"changes to what is there now, and send them with version {current.version}."
    )


@contextmanager
def service_errors() -> Iterator[None]:
    """Domain errors of the services (surveys/errors.py) → 403, 409 or 400 with {"detail": message};
    a database locked by another writer → 409, as a version clash."""
    try:
        with database_busy_as_conflict():
            yield
    except ResponseConflict as exc:
        raise ServiceRefusal(
            409,
            {
                "detail": conflict_message(exc),
                "current_version": exc.response.version,
                "your_version": exc.expected_version,
            },
        ) from None
    except ResponseBusy as exc:
        raise ServiceRefusal(409, {"detail": str(exc)}) from None
    except ResponseInvalid as exc:
        raise ServiceRefusal(
            400,
            {
                "detail": str(exc),
                "errors": s.errors_dict(exc.evaluation),
                "unconfirmed_sections": list(exc.unconfirmed),
            },
        ) from None
    except NotAllowed as exc:
        raise exceptions.PermissionDenied(str(exc)) from None
    except WorkflowError as exc:
        raise ServiceRefusal(400, {"detail": str(exc)}) from None


REFUSED = {
    400: OpenApiResponse(s.DetailSerializer, description="Refused: the message says why."),
    401: OpenApiResponse(s.DetailSerializer, description="Not signed in (no or a wrong token)."),
    403: OpenApiResponse(s.DetailSerializer, description="The user may not do this."),
    404: OpenApiResponse(s.DetailSerializer, description="No such object among those the user may read."),
}
LOCKED_OUT = OpenApiResponse(
    s.DetailSerializer,
    description="Too many failed sign-ins for this username from this address; the message "
    "and the Retry-After header say when to try again.",
)
CONFLICT = OpenApiResponse(s.ConflictSerializer, description="The response changed since the version sent.")


# --- authentication --------------------------------------------------------------------


@extend_schema_view(
    post=extend_schema(
        tags=["auth"],
        summary="Get an API token",
        description="Exchange a username and password for a token; send it as “Authorization: Token <token>”. "
        "The same token is returned until it is revoked. Failures count toward the same sign-in lockout as "
        "the sign-in page's: a locked-out username and address get 429, with Retry-After, and no token. "
        "An account with two-factor authentication sends the code its authenticator app shows now as `code` "
        "(wrong codes make the next try wait, as on the site); an account that must set it up gets no token "
        "until it has.",
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer, 400: REFUSED[400], 429: LOCKED_OUT},
        auth=[],
    ),
    delete=extend_schema(
        tags=["auth"],
        summary="Revoke your API token",
        request=None,
        responses={204: OpenApiResponse(description="The token no longer works."), 401: REFUSED[401]},
    ),
)
class TokenView(ObtainAuthToken):
    """The password is checked by django.contrib.auth.authenticate with the request, as on
    the sign-in page: the lockout counts the failures, and refuses a locked-out username
    and address (the lockout's middleware then answers 429 instead of this view)."""

    serializer_class = s.TokenRequestSerializer

    def post(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # One sentence in "detail", as every other refusal of this API (and its schema) has.
            messages = [str(m) for errors in serializer.errors.values() for m in errors]
            return ApiResponse({"detail": " ".join(messages)}, status=400)
        credentials = serializer.validated_data
        user = authenticate(
            request=request._request, username=credentials["username"], password=credentials["password"]
        )
        if user is None or not user.is_active:
            return ApiResponse({"detail": gettext("Unable to log in with provided credentials.")}, status=400)
        second_step = two_factor.token_check(user, credentials.get("code"))
        if not second_step.verified:
            return ApiResponse({"detail": second_step.message}, status=400)
        token, _created = Token.objects.get_or_create(user=user)
        return ApiResponse({"token": token.key})

    def delete(self, request: Request) -> ApiResponse:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        Token.objects.filter(user=request.user).delete()
        return ApiResponse(status=204)


# --- reference data --------------------------------------------------------------------


class SlugLookup:
    """For objects looked up by a slug in the address. No slug holds a NUL character, and
    PostgreSQL refuses one in a query: such an address is not found, as on any database,
    without asking it."""

    def get_object(self) -> Any:
        value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if isinstance(value, str) and "\x00" in value:
            raise Http404(f"No {self.get_queryset().model._meta.object_name} matches the given query.")
        return super().get_object()


@extend_schema_view(
    list=extend_schema(tags=["reference"], summary="ST.3 offices"),
    retrieve=extend_schema(tags=["reference"], summary="One office, by ST.3 code", responses={200: s.OfficeSerializer}),
)
class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.OfficeSerializer
    queryset = Office.objects.order_by("code")
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    filter_backends = [FilterBackend, SearchFilter]
    filterset_class = OfficeFilter
    search_fields = ["code", "name"]

    def get_object(self) -> Office:
        # ST.3 codes are written in capitals; "ep" finds EP.
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


@extend_schema_view(list=extend_schema(tags=["reference"], summary="WIPO standards cited"))
class StandardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.StandardSerializer
    queryset = Standard.objects.all()


@extend_schema_view(
    list=extend_schema(
        tags=["questionnaire"],
        summary="Questionnaire editions",
        description="Each with its state (draft or published). Drafts are listed to the secretariat and "
        "translators only.",
    ),
    retrieve=extend_schema(
        tags=["questionnaire"],
        summary="An edition's whole question tree",
        description="Sections and questions with their stable IDs, types, choices (code and label), required "
        "flags and conditions (the JSON trees the engine evaluates), parts_from/rows_from and grid columns.",
    ),
)
class EditionViewSet(SlugLookup, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[QuestionnaireEdition]:
        rows = QuestionnaireEdition.objects.readable_by(self.request.user).order_by("-year", "slug")
        # The definition is large and only the detail and the spreadsheet need it.
        return rows.defer("definition", "warnings") if self.action == "list" else rows

    def get_serializer_class(self) -> type[s.serializers.Serializer]:
        return s.EditionSummarySerializer if self.action == "list" else s.EditionSerializer

    @extend_schema(
        tags=["questionnaire"],
        summary="The edition's authoring spreadsheet (XLSX)",
        description="The sheets survey, choices, settings, introduction, instructions, examples (and mapping for "
        "an edition that revises another), in the layout uploads are read in.",
        responses={200: OpenApiResponse(description="The XLSX file."), 404: REFUSED[404]},
    )
    @action(detail=True, methods=["get"], url_path="spreadsheet")
    def spreadsheet(self, request: Request, slug: str | None = None) -> HttpResponse:
        return authoring.edition_download(self.get_object())

    @extend_schema(
        tags=["questionnaire"],
        summary="Upload an authoring spreadsheet",
        description="Multipart form with the XLSX in “file”. The secretariat uploads a new draft or replaces a "
        "draft of the same ID; translators (and the secretariat) re-import the French and Spanish texts of a "
        "draft or a published edition. Refused with every problem, each naming its cell, when the file has "
        "an error; nothing is written then.",
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        responses={
            201: OpenApiResponse(description="A draft was created."),
            200: OpenApiResponse(description="A draft replaced, or translations updated, or nothing changed."),
            400: OpenApiResponse(description="The problems of the spreadsheet."),
            401: REFUSED[401],
            403: REFUSED[403],
        },
    )
    @action(detail=False, methods=["post"], url_path="upload")
    def upload(self, request: Request) -> ApiResponse:
        upload = request.FILES.get("file")
        if upload is None:
            raise ServiceRefusal(400, {"detail": gettext("Send the spreadsheet as the multipart field “file”.")})
        with service_errors():
            try:
                result = authoring.edition_import(file=upload, user=request.user)
            except authoring.EditionInvalid as exc:
                problems = [p.as_dict() for p in exc.problems]
                raise ServiceRefusal(400, {"detail": str(exc), "problems": problems}) from None
        body = {
            "outcome": result.outcome,
            "edition": s.EditionSummarySerializer(result.edition, context=self.get_serializer_context()).data,
            "warnings": [p.as_dict() for p in result.warnings],
        }
        return ApiResponse(body, status=201 if result.outcome == "created" else 200)


# --- rounds and numbering systems ------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=["rounds"],
        summary="Survey rounds",
        description="The secretariat sees every round; an office the rounds it is invited to; everyone the rounds "
        "with published responses.",
    ),
    retrieve=extend_schema(tags=["rounds"], summary="One round"),
)
class RoundViewSet(SlugLookup, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RoundSerializer
    lookup_field = "slug"
    filter_backends = [FilterBackend]
    filterset_class = RoundFilter

    def get_queryset(self) -> QuerySet[SurveyRound]:
        rounds = SurveyRound.objects.readable_by(self.request.user).select_related("edition")
        rounds = rounds.defer("edition__definition")
        if may(self.request.user, "surveys.view_invited_offices"):
            rounds = rounds.prefetch_related("invitations")
        return rounds.order_by("-opens_on", "slug")

    @extend_schema(
        tags=["rounds"],
        summary="The round's Handbook tables as JSON",
        description=(
            "Participation, results per question (Handbook 7.2.5), examples (7.2.6) and the ST.13 "
            "compliance matrix, built from published responses (the secretariat: accepted and published, "
            "and submitted ones with include=submitted). The same table definitions as every other format."
        ),
        parameters=[
            OpenApiParameter("include", str, enum=["submitted"], required=False, description="Secretariat only."),
            OpenApiParameter("table", str, required=False, description="One table by its id."),
        ],
        responses={200: OpenApiResponse(description="The report tables."), 404: REFUSED[404]},
    )
    @action(detail=True, methods=["get"], url_path="report")
    def report(self, request: Request, slug: str | None = None) -> ApiResponse:
        from django.utils.translation import get_language

        from surveys.reports import exporters, tables

        survey_round = self.get_object()
        include = (
            may(request.user, "surveys.view_unpublished_figures") and request.query_params.get("include") == "submitted"
        )
        scope = tables.report_scope(request.user, include_submitted=include)
        table_id = request.query_params.get("table") or None
        try:
            report = tables.build_report(
                survey_round, scope=scope, only=table_id, language=(get_language() or "en")[:2]
            )
        except KeyError:
            raise exceptions.NotFound("The report has no table with that id.") from None
        with report:
            return ApiResponse(json.loads(b"".join(exporters.export(report, "json", table_id).content)))


@extend_schema_view(
    list=extend_schema(
        tags=["numbering systems"],
        summary="Numbering systems",
        description="An office sees its own; the secretariat all; everyone the systems of published responses.",
    ),
    retrieve=extend_schema(tags=["numbering systems"], summary="One numbering system"),
    create=extend_schema(
        tags=["numbering systems"],
        summary="Add a numbering system to your office",
        request=s.NumberingSystemCreateSerializer,
        responses={201: s.NumberingSystemSerializer, 400: REFUSED[400], 401: REFUSED[401], 403: REFUSED[403]},
    ),
)
class NumberingSystemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.NumberingSystemSerializer
    filter_backends = [FilterBackend]
    filterset_class = NumberingSystemFilter

    def get_queryset(self) -> QuerySet[NumberingSystem]:
        systems = NumberingSystem.objects.readable_by(self.request.user)
        return systems.select_related("office").order_by("office_id", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        data = s.NumberingSystemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = data.validated_data.get("office", "").upper()
        office = Office.objects.filter(code=code).first() if code else office_of(request.user)
        if office is None:
            if code:
                raise exceptions.ValidationError({"office": [f"No office has the ST.3 code {code!r}."]})
            raise exceptions.PermissionDenied("Only members of an office can add numbering systems.")
        with service_errors():
            system = numbering_system_create(office=office, label=data.validated_data["label"], user=request.user)
        body = s.NumberingSystemSerializer(system, context=self.get_serializer_context()).data
        return ApiResponse(body, status=201)


# --- responses -------------------------------------------------------------------------

_WORKFLOW_DOC = {
    "submit": ("Submit a response to the International Bureau", "An approver of the office; draft or returned."),
    "return": (
        "Return a response to the office",
        "The secretariat; submitted responses. Say what to change: a comment, or comments per question.",
    ),
    "accept": ("Accept a submitted response", "The secretariat; submitted responses."),
    "publish": ("Publish an accepted response", "The secretariat; accepted responses. It becomes public."),
    "reopen": ("Reopen an accepted or published response", "The secretariat; the office may then change it."),
}


def _workflow_schema(name: str, request: type[s.serializers.Serializer]) -> Any:
    summary, who = _WORKFLOW_DOC[name]
    return extend_schema(
        tags=["responses"],
        summary=summary,
        description=f"Who and when: {who} Calls the same service as the web page. Give the version you read to "
        "make sure nobody changed the response in between.",
        request=request,
        responses={
            200: s.ResponseSerializer,
            400: OpenApiResponse(
                s.InvalidResponseSerializer, description="Refused; a submit lists what is wrong per question."
            ),
            401: REFUSED[401],
            403: REFUSED[403],
            404: REFUSED[404],
            409: CONFLICT,
        },
    )


def editions_by_id(responses: Iterable[SurveyResponse]) -> dict[int, QuestionnaireEdition]:
    """The editions of a page of responses, in one query whatever the number of rows."""
    ids = {response.round.edition_id for response in responses}
    return {row.pk: row for row in QuestionnaireEdition.objects.filter(pk__in=ids)} if ids else {}


@extend_schema_view(
    list=extend_schema(
        tags=["responses"],
        summary="Responses",
        description="The secretariat sees every response, an office its own, everyone the published ones.",
    ),
    retrieve=extend_schema(tags=["responses"], summary="One response, with the engine's verdict"),
    create=extend_schema(
        tags=["responses"],
        summary="Start a draft",
        description="Opens the response of one of your office's numbering systems in a round (or returns the one "
        "that exists: 200). A new response is pre-filled from the last accepted one of the same system.",
        request=s.ResponseCreateSerializer,
        responses={200: s.ResponseSerializer, 201: s.ResponseSerializer, **REFUSED},
    ),
    update=extend_schema(
        tags=["responses"],
        summary="Save a draft (all answers)",
        description="Stores the answers as they are, valid or not; the response lists the errors. Answers to "
        "questions that do not apply are set aside, never reported as answered.",
        request=s.ResponseDraftSerializer,
        responses={200: s.ResponseSerializer, **REFUSED, 409: CONFLICT},
    ),
    partial_update=extend_schema(
        tags=["responses"],
        summary="Save a draft (some answers)",
        description="Changes only the answers sent (null clears one); the others stay as they are.",
        request=s.ResponseDraftSerializer,
        responses={200: s.ResponseSerializer, **REFUSED, 409: CONFLICT},
    ),
    submit=_workflow_schema("submit", s.WorkflowSerializer),
    return_response=_workflow_schema("return", s.ReturnSerializer),
    accept=_workflow_schema("accept", s.CommentedWorkflowSerializer),
    publish=_workflow_schema("publish", s.WorkflowSerializer),
    reopen=_workflow_schema("reopen", s.CommentedWorkflowSerializer),
    compliance=extend_schema(
        tags=["responses"],
        summary="ST.13 compliance of a response",
        description="Rule by rule (ST.13 a–g) from the declared structure, and the q14a examples read as "
        "application numbers against it.",
        responses={200: s.ComplianceSerializer, 404: REFUSED[404]},
    ),
)
class ResponseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ResponseSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filter_backends = [FilterBackend]
    filterset_class = ResponseFilter

    def _with_details(self, responses: QuerySet[SurveyResponse]) -> QuerySet[SurveyResponse]:
        related: list[Any] = ["attachments"]
        if self.request.user.is_authenticated:
            # Comments are shown to the office and the secretariat only (never to the public).
            related.append(Prefetch("comments", queryset=ReviewComment.objects.select_related("author")))
        return responses.prefetch_related(*related)

    def _related(self) -> QuerySet[SurveyResponse]:
        """The responses with the rows this action shows, before scoping."""
        responses = SurveyResponse.objects.all()
        if self.action == "list":
            return self._with_details(responses.for_listing()).order_by("round_id", "office_id", "sequence", "id")
        if self.action == "retrieve":
            return self._with_details(responses.with_related())
        return responses.with_related()

    def get_queryset(self) -> QuerySet[SurveyResponse]:
        return self._related().readable_by(self.request.user)

    def get_object(self) -> SurveyResponse:
        # Changes are decided by the services; reading it is what opens it here.
        response = get_response_for_user_or_404(
            self.request.user,
            self.kwargs[self.lookup_url_kwarg or self.lookup_field],
            "surveys.view_surveyresponse",
            queryset=self.filter_queryset(self._related()),
        )
        self.check_object_permissions(self.request, response)
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "editions": editions_by_id(page)}
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)

    def _represent(self, response: SurveyResponse, status: int = 200) -> ApiResponse:
        fresh = self._with_details(SurveyResponse.objects.with_related()).get(pk=response.pk)
        return ApiResponse(self.get_serializer(fresh).data, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        data = s.ResponseCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        survey_round = data.validated_data["round"]
        system = data.validated_data["numbering_system"]
        existed = SurveyResponse.objects.filter(round=survey_round, numbering_system=system).exists()
        with service_errors():
            response = response_start(survey_round=survey_round, numbering_system=system, user=request.user)
        return self._represent(response, status=200 if existed else 201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        partial = kwargs.pop("partial", False)
        response = self.get_object()
        edition = response.round.edition.structure
        data = s.ResponseDraftSerializer(data=request.data, context={"edition": edition})
        data.is_valid(raise_exception=True)
        sent = data.validated_data["answers"]
        if partial:
            # The answers as the office's form shows them (including those set aside), changed where sent.
            answers = {**response.set_aside_answers, **response.answers}
            for qid, value in sent.items():
                if value is None:
                    answers.pop(qid, None)
                else:
                    answers[qid] = value
        else:
            answers = {qid: value for qid, value in sent.items() if value is not None}
        with service_errors():
            response_save_draft(
                response=response,
                answers=answers,
                user=request.user,
                expected_version=data.validated_data["version"],
                confirmed_sections=data.validated_data.get("confirmed_sections"),
            )
        return self._represent(response)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> ApiResponse:
        return self.update(request, *args, partial=True, **kwargs)

    def _workflow(self, request: Request, name: str, serializer_class: type[s.serializers.Serializer]) -> ApiResponse:
        response = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = dict(data.validated_data)
        version = arguments.pop("version", None)
        with service_errors():
            WORKFLOW_ACTIONS[name](response=response, user=request.user, expected_version=version, **arguments)
        return self._represent(response)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> ApiResponse:
        return self._workflow(request, "submit", s.WorkflowSerializer)

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_response(self, request: Request, pk: str | None = None) -> ApiResponse:
        return self._workflow(request, "return", s.ReturnSerializer)

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> ApiResponse:
        return self._workflow(request, "accept", s.CommentedWorkflowSerializer)

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> ApiResponse:
        return self._workflow(request, "publish", s.WorkflowSerializer)

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> ApiResponse:
        return self._workflow(request, "reopen", s.CommentedWorkflowSerializer)

    @action(detail=True, methods=["get"])
    def compliance(self, request: Request, pk: str | None = None) -> ApiResponse:
        response = self.get_object()
        edition = response.round.edition.structure
        report = compliance_for_answers(response.answers, edition)
        examples = [
            {"row": check.row, "column": check.column, **check.parsed.as_dict(localize)}
            for check in example_checks(response.answers, response.office_id, edition)
        ]
        return ApiResponse(
            {
                "response": response.pk,
                "public_key": response.public_key,
                "compliance": report.as_dict(),
                "examples": examples,
            }
        )


# --- ST.13 number checker --------------------------------------------------------------


def _answers_for_structure(given: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The given answers as a response would store them: checked by the engine of the
    application-numbering edition, keeping only those that apply. Returns them with the
    IDs of the given answers that do not apply (so the caller knows they were not used)."""
    edition = current_numbering_edition()
    answers = {qid: value for qid, value in given.items() if value is not None}
    if edition is None:  # no edition loaded: the structure reader tolerates anything
        return answers, []
    unknown = sorted(qid for qid in answers if qid not in edition.by_id)
    if unknown:
        raise exceptions.ValidationError({"answers": [f"Unknown question ID(s): {', '.join(unknown)}."]})
    evaluation = evaluate(edition, answers, with_warnings=False)
    # A partial structure is fine (unanswered questions stay unknown); a malformed answer is not.
    problems = {
        qid: [issue.message for issue in issues if issue.code != "required"]
        for qid, issues in evaluation.errors.items()
    }
    problems = {qid: messages for qid, messages in problems.items() if messages}
    if problems:
        raise exceptions.ValidationError({"answers": problems})
    return evaluation.answers, sorted(evaluation.set_aside)


def _refuse_too_much(request: Request) -> None:
    """More bytes, numbers or characters than one request may send: 413, before anything
    is read (the size from the request's headers, before its body is parsed)."""
    too_large = limits.too_large(request)
    if too_large is not None:
        raise ServiceRefusal(413, {"detail": too_large})
    data = request.data
    numbers = data.get("numbers") if hasattr(data, "get") else None
    if not isinstance(numbers, list):
        return  # the serializer says what is wrong
    refusal = limits.too_much([n if isinstance(n, str) else str(n) for n in numbers])
    if refusal is not None:
        raise ServiceRefusal(413, {"detail": refusal})


@extend_schema(
    tags=["ST.13"],
    summary="Check application numbers against a numbering structure",
    description="Each number is split into its parts, its check digit verified, and converted to the ST.13 "
    "machine-readable form, stating what was assumed, with one verdict: valid, valid with the check digit not "
    "given or not verified, error, or no ST.13 form. The structure comes from a response you may read "
    "(published responses for everyone), from answers to q1a–q11c, from a built-in profile, or — when none is "
    "given — from the profile of the office whose ST.3 code stands in front of each number. Sentences follow "
    "the language of the request (Accept-Language: en, fr, es). Open to everyone.",
    request=s.St13ParseRequestSerializer,
    responses={
        200: s.St13ParseResultSerializer,
        400: REFUSED[400],
        413: OpenApiResponse(s.DetailSerializer, description="More numbers or characters than one request may send."),
        429: OpenApiResponse(s.DetailSerializer, description="Too many checks without signing in: see Retry-After."),
    },
    auth=[{}, {"tokenAuth": []}, {"cookieAuth": []}],
)
class St13ParseView(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.St13ParseRequestSerializer
    throttle_classes = [limits.CheckerThrottle]

    def throttled(self, request: Request, wait: float | None) -> None:
        raise exceptions.Throttled(wait, detail=limits.throttled_message())

    def post(self, request: Request) -> ApiResponse:
        _refuse_too_much(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        office = params.get("office", "").strip().upper() or None
        ipr_type = params.get("ipr_type")
        ignored: list[str] = []
        response_id = params.get("response")
        if office is not None and not Office.objects.filter(code=office).exists():
            raise exceptions.ValidationError({"office": [f"No office has the ST.3 code {office!r}."]})
        reading = {"office_code": office, "ipr_type": ipr_type, "limit": settings.WIPOSTAD_CHECKER_MAX_NUMBERS}
        if response_id is not None:
            try:
                response = get_response_for_user_or_404(
                    request.user, response_id, "surveys.view_surveyresponse", queryset=SurveyResponse.objects.all()
                )
            except Http404:
                raise exceptions.ValidationError(
                    {"response": ["No response with this ID that you may read."]}
                ) from None
            if office and office != response.office_id:
                raise exceptions.ValidationError(
                    {"office": [f"Response {response.public_key} is {response.office_id}'s: give that code or none."]}
                )
            office = response.office_id
            reading["office_code"] = office
            results = parse_numbers(params["numbers"], structure_from_answers(response.answers), **reading)
        elif "answers" in params:
            answers, ignored = _answers_for_structure(params["answers"])
            results = parse_numbers(params["numbers"], structure_from_answers(answers), **reading)
        elif "profile" in params:
            profile = profiles.by_key(params["profile"])
            results = profiles.parse_profile_many(params["numbers"], profile, **reading)
        else:
            results = profiles.parse_auto_many(params["numbers"], **reading)
        verdicts = {str(v): 0 for v in Verdict}
        for result in results:
            verdicts[str(result.verdict)] += 1
        valid = sum(1 for result in results if result.ok)
        return ApiResponse(
            {
                "office": office,
                "response": response_id,
                "profile": params.get("profile"),
                "count": len(results),
                "valid": valid,
                "invalid": len(results) - valid,
                "verdicts": verdicts,
                "ignored_answers": ignored,
                "results": [result.as_dict(localize) for result in results],
            }
        )


@extend_schema(
    tags=["ST.13"],
    summary="Built-in numbering profiles",
    description="The numbering systems of offices whose structure is documented in public sources, with their "
    "sources and real example numbers. Numbers sent to the ST.13 checker without a structure are read with the "
    "profile of the office whose ST.3 code stands in front of them. Open to everyone.",
    responses={200: s.St13ProfileSerializer(many=True)},
    auth=[{}, {"tokenAuth": []}, {"cookieAuth": []}],
)
class St13ProfilesView(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.St13ProfileSerializer
    pagination_class = None

    def get(self, request: Request) -> ApiResponse:
        return ApiResponse(
            [
                {
                    "key": p.key,
                    "office": p.office,
                    "name": localize(p.name),
                    "examples": list(p.examples),
                    "sources": [{"title": source.title, "url": source.url} for source in p.sources],
                }
                for p in profiles.PROFILES
            ]
        )


# --- documentation ---------------------------------------------------------------------


class ApiDocsView(SpectacularSwaggerSplitView):
    """Interactive docs: Swagger UI, its files served locally by drf-spectacular-sidecar
    (the default CDN is not reachable from where the service runs)."""

    url_name = "api:schema"
    title = "wipostad API"

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return static(f"drf_spectacular_sidecar/swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return static("wipostad/favicon.svg")
