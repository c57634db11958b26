"""Posting management: details and description, questions, publishing, pipeline stages, the
interview plan and the hiring team.

Every posting is looked up through the user's scope (404 outside it). Hiring managers may
read the pages of their postings; changing anything is for recruiters and admins (403).
The writes are postings.services calls; these views only wire forms to them.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.forms.utils import pretty_name
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from applications import pipeline
from applications import services as stage_services
from applications.models import Application, Stage
from dashboard import services as dashboard_services
from dashboard.forms import FillPostingForm
from dashboard.forms_postings import (
    CopyPlanForm,
    HiringTeamForm,
    InterviewStepForm,
    PostingForm,
    QuestionForm,
    SectionFormHelper,
    StageForm,
    section_formset,
)
from dashboard.scope import can_manage_postings, get_posting, staff_required
from interviews import plan
from interviews.models import InterviewStep
from postings import services
from postings.models import Posting, Question

PAGE_SIZE = 25
STATUS_ORDER = Case(
    When(status=Posting.Status.OPEN, then=Value(0)),
    When(status=Posting.Status.DRAFT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _require_manager(user) -> None:
    if not can_manage_postings(user):
        raise PermissionDenied("Only recruiters can change postings.")


def _posting_for_write(request, pk) -> Posting:
    """Outside the user's scope is a 404 before it is a 403."""
    posting = get_posting(request.user, pk)
    _require_manager(request.user)
    return posting


def _direction(request) -> str:
    return "up" if request.POST.get("direction") == "up" else "down"


def _refusal(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _context(request, posting: Posting, tab: str, **extra) -> dict:
    return {
        "posting": posting,
        "tab": tab,
        "can_manage": can_manage_postings(request.user),
        **extra,
    }


def _read_only(request, posting: Posting, tab: str, form, sections=()):
    """What a hiring manager sees of a settings page: the values under the form's own labels
    (so that the two never drift apart), as text, with no form to mistake for one."""
    rows = []
    instance = form.instance
    extra = {"sections": sections}
    if instance != posting:  # a question or a stage, named by its own heading
        extra["heading"] = str(instance)
    if hasattr(instance, "answers"):
        extra["answer_count"] = instance.answers.count()
    for name, field in form.fields.items():
        value = getattr(instance, name, None)
        if hasattr(instance, f"get_{name}_display"):
            value = getattr(instance, f"get_{name}_display")()
        elif hasattr(value, "all"):  # many-to-many
            value = ", ".join(str(item) for item in value.all())
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, list | tuple):
            value = ", ".join(str(item) for item in value)
        rows.append((field.label or pretty_name(name), value))
    return render(
        request,
        "dashboard/postings/read_only.html",
        _context(request, posting, tab, rows=rows, **extra),
    )


# Postings


@staff_required
def posting_list(request):
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    postings = (
        Posting.objects.for_user(request.user)
        .with_hires()
        .prefetch_related("teams")
        .annotate(status_order=STATUS_ORDER)
        .order_by("status_order", "title", "pk")
    )
    if status in Posting.Status.values:
        postings = postings.filter(status=status)
    if query:
        # A subquery, not a join through teams, which would multiply the counts above.
        by_team = Posting.objects.filter(teams__name__icontains=query).values("pk")
        postings = postings.filter(Q(title__icontains=query) | Q(pk__in=by_team))
    page = Paginator(postings, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    _attach_counts(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dashboard/postings/posting_list.html",
        {
            "page": page,
            "postings": page.object_list,
            "status": status,
            "statuses": Posting.Status.choices,
            "q": query,
            "params": params.urlencode(),
            "can_manage": can_manage_postings(request.user),
        },
    )


def _attach_counts(postings: list[Posting]) -> None:
    """Each posting's `application_count` and `new_count` (in its Applied stage), added up from
    the counts the board and home show: two queries for a page of postings."""
    counts = Application.objects.filter(posting__in=postings).stage_counts()
    by_pk = {posting.pk: posting for posting in postings}
    for posting in postings:
        posting.application_count = posting.new_count = 0
    for stage in Stage.objects.filter(pk__in=counts).only("pk", "posting_id", "kind"):
        posting = by_pk[stage.posting_id]
        posting.application_count += counts[stage.pk]
        if stage.kind == Stage.Kind.APPLIED:
            posting.new_count += counts[stage.pk]


@staff_required
def posting_create(request):
    _require_manager(request.user)
    return _posting_form(request, Posting(), tab="details")


@staff_required
def posting_edit(request, pk):
    posting = get_posting(request.user, pk, Posting.objects.with_hires().prefetch_related("teams"))
    if request.method == "POST":
        _require_manager(request.user)
    if not can_manage_postings(request.user):
        sections = posting.sections.order_by("position", "id")
        return _read_only(request, posting, "details", PostingForm(instance=posting), sections)
    return _posting_form(request, posting, tab="details")


def _posting_form(request, posting: Posting, *, tab: str):
    data = request.POST if request.method == "POST" else None
    # The form edits a copy: the page header keeps the saved title while errors show.
    form = PostingForm(data, instance=copy.copy(posting))
    sections = section_formset(posting, data)
    adding = posting.pk is None
    # Both validate, so that every error shows at once.
    if data is not None and all([form.is_valid(), sections.is_valid()]):
        try:
            posting = services.save_posting(
                posting=form.save(commit=False),
                teams=form.cleaned_data["teams"],
                locations=form.cleaned_data["locations"],
                sections=sections.sections(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if adding:
                messages.success(
                    request,
                    f"“{posting.title}” is saved as a draft. Add its questions, then publish it.",
                )
                return redirect("dashboard:posting_questions", posting.pk)
            messages.success(request, "Changes saved.")
            return redirect("dashboard:posting_edit", posting.pk)
    return render(
        request,
        "dashboard/postings/posting_form.html",
        _context(
            request,
            posting,
            tab,
            form=form,
            sections=sections,
            section_helper=SectionFormHelper(),
            adding=adding,
        ),
    )


@require_POST
@staff_required
def posting_publish(request, pk):
    posting = _posting_for_write(request, pk)
    try:
        published = services.publish_posting(posting=posting)
    except ValidationError as error:
        _refusal(request, error)
    else:
        if published:
            messages.success(request, f"“{posting.title}” is open on the careers site.")
        else:
            messages.info(request, f"“{posting.title}” was already open.")
    return redirect(_back(request, posting))


@require_POST
@staff_required
def posting_close(request, pk):
    posting = _posting_for_write(request, pk)
    try:
        closed = services.close_posting(posting=posting)
    except ValidationError as error:
        _refusal(request, error)
    else:
        if closed:
            messages.success(
                request,
                f"“{posting.title}” is closed: it no longer takes applications. "
                "Its applications stay in the pipeline.",
            )
        else:
            messages.info(request, f"“{posting.title}” was already closed.")
    return redirect(_back(request, posting))


@require_POST
@staff_required
def posting_fill(request, pk):
    """A filled posting's wrap-up: close it and reject the applications still open."""
    posting = _posting_for_write(request, pk)
    form = FillPostingForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, posting))
    try:
        result = dashboard_services.fill_posting(
            posting=posting,
            by=request.user,
            rejection_reason=form.cleaned_data["rejection_reason"],
            note=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _refusal(request, error)
    except dashboard_services.CannotMove as error:
        messages.error(request, str(error))
    else:
        done = "is closed" if result.closed else "was already closed"
        rejected = services.counted(result.rejected, "application", "applications")
        emails = ""
        if result.rejected and dashboard_services.rejected_stage(posting).notify_candidate:
            emails = f"; their emails go out in {posting.rejection_email_delay_hours} hours"
        messages.success(request, f"“{posting.title}” {done}. Rejected {rejected}{emails}.")
    return redirect(_back(request, posting))


@require_POST
@staff_required
def posting_keep_open(request, pk):
    posting = _posting_for_write(request, pk)
    try:
        dashboard_services.keep_posting_open(posting=posting, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.info(
            request,
            f"“{posting.title}” stays open. You will be asked again after another hire.",
        )
    return redirect(_back(request, posting))


def _back(request, posting: Posting) -> str:
    """Back to the page the button was on, if it is one of this posting's pages."""
    target = request.POST.get("next", "")
    prefix = reverse("dashboard:posting_edit", args=[posting.pk]).removesuffix("edit/")
    if target.startswith(prefix) and "//" not in target:
        return target
    return reverse("dashboard:posting_edit", args=[posting.pk])


# Questions


@staff_required
def posting_questions(request, pk):
    posting = get_posting(request.user, pk)
    if request.method == "POST":
        _require_manager(request.user)
    # Aggregating drops Meta.ordering: order explicitly.
    questions = posting.questions.annotate(answer_count=Count("answers")).order_by("position", "id")
    form = None
    if can_manage_postings(request.user):
        form = QuestionForm(
            request.POST if request.method == "POST" else None,
            instance=Question(posting=posting),
            submit_label="Add question",
        )
        if form.is_bound and form.is_valid():
            try:
                question = services.save_question(question=form.save(commit=False))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Question added: “{question.label}”.")
                return redirect("dashboard:posting_questions", posting.pk)
    return render(
        request,
        "dashboard/postings/question_list.html",
        _context(request, posting, "questions", questions=questions, form=form),
    )


@staff_required
def question_edit(request, pk, question_pk):
    posting = get_posting(request.user, pk)
    question = get_object_or_404(posting.questions, pk=question_pk)
    if request.method == "POST":
        _require_manager(request.user)
    if not can_manage_postings(request.user):
        return _read_only(request, posting, "questions", QuestionForm(instance=question))
    form = QuestionForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(question)
    )
    if form.is_bound and form.is_valid():
        try:
            question = services.save_question(question=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Question saved: “{question.label}”.")
            return redirect("dashboard:posting_questions", posting.pk)
    return render(
        request,
        "dashboard/postings/question_form.html",
        _context(
            request,
            posting,
            "questions",
            question=question,
            form=form,
            answer_count=question.answers.count(),
        ),
    )


@require_POST
@staff_required
def question_move(request, pk, question_pk):
    posting = _posting_for_write(request, pk)
    question = get_object_or_404(posting.questions, pk=question_pk)
    direction = _direction(request)
    if services.move_question(question=question, direction=direction):
        messages.success(request, f"Moved “{question.label}” {direction}.")
    else:
        messages.info(request, f"“{question.label}” cannot move further {direction}.")
    return redirect(
        reverse("dashboard:posting_questions", args=[posting.pk]) + f"#question-{question.pk}"
    )


@staff_required
def question_delete(request, pk, question_pk):
    posting = _posting_for_write(request, pk)
    question = get_object_or_404(posting.questions, pk=question_pk)
    if request.method == "POST":
        try:
            services.delete_question(question=question)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, f"Question deleted: “{question.label}”.")
        return redirect("dashboard:posting_questions", posting.pk)
    return render(
        request,
        "dashboard/postings/question_confirm_delete.html",
        _context(
            request, posting, "questions", question=question, answer_count=question.answers.count()
        ),
    )


# Pipeline stages


@staff_required
def posting_stages(request, pk):
    posting = get_posting(request.user, pk)
    if request.method == "POST":
        _require_manager(request.user)
    stages = list(posting.stages.order_by("position", "id"))
    counts = posting.applications.stage_counts()
    for index, stage in enumerate(stages):
        stage.application_count = counts.get(stage.pk, 0)
        stage.fixed = stage.kind in pipeline.FIXED_KINDS
        before = stages[index - 1] if index else None
        after = stages[index + 1] if index + 1 < len(stages) else None
        stage.can_move_up = not stage.fixed and before and before.kind not in pipeline.FIXED_KINDS
        stage.can_move_down = not stage.fixed and after and after.kind not in pipeline.FIXED_KINDS
    form = None
    if can_manage_postings(request.user):
        form = StageForm(
            request.POST if request.method == "POST" else None,
            posting=posting,
            submit_label="Add stage",
        )
        if form.is_bound and form.is_valid():
            try:
                stage = stage_services.add_stage(
                    posting=posting,
                    name=form.cleaned_data["name"],
                    candidate_name=form.cleaned_data["candidate_name"],
                    notify_candidate=form.cleaned_data["notify_candidate"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Stage added: “{stage.name}”.")
                return redirect("dashboard:posting_stages", posting.pk)
    return render(
        request,
        "dashboard/postings/stage_list.html",
        _context(
            request,
            posting,
            "stages",
            stages=stages,
            form=form,
        ),
    )


@staff_required
def stage_edit(request, pk, stage_pk):
    posting = get_posting(request.user, pk)
    stage = get_object_or_404(posting.stages, pk=stage_pk)
    if request.method == "POST":
        _require_manager(request.user)
    if not can_manage_postings(request.user):
        form = StageForm(instance=stage, posting=posting)
        return _read_only(request, posting, "stages", form)
    form = StageForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(stage),
        posting=posting,
    )
    if form.is_bound and form.is_valid():
        try:
            stage = stage_services.update_stage(
                stage=stage,
                name=form.cleaned_data["name"],
                candidate_name=form.cleaned_data["candidate_name"],
                notify_candidate=form.cleaned_data["notify_candidate"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Stage saved: “{stage.name}”.")
            return redirect("dashboard:posting_stages", posting.pk)
    return render(
        request,
        "dashboard/postings/stage_form.html",
        _context(request, posting, "stages", stage=stage, form=form),
    )


@require_POST
@staff_required
def stage_move(request, pk, stage_pk):
    posting = _posting_for_write(request, pk)
    stage = get_object_or_404(posting.stages, pk=stage_pk)
    direction = _direction(request)
    if stage_services.move_stage(stage=stage, direction=direction):
        messages.success(request, f"Moved “{stage.name}” {direction}.")
    else:
        messages.info(request, f"“{stage.name}” cannot move further {direction}.")
    return redirect(reverse("dashboard:posting_stages", args=[posting.pk]) + f"#stage-{stage.pk}")


@staff_required
def stage_delete(request, pk, stage_pk):
    posting = _posting_for_write(request, pk)
    stage = get_object_or_404(posting.stages, pk=stage_pk)
    if request.method == "POST":
        try:
            stage_services.delete_stage(stage=stage)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, f"Stage deleted: “{stage.name}”.")
        return redirect("dashboard:posting_stages", posting.pk)
    return render(
        request,
        "dashboard/postings/stage_confirm_delete.html",
        _context(
            request,
            posting,
            "stages",
            stage=stage,
            application_count=stage.applications.count(),
            fixed=stage.kind in pipeline.FIXED_KINDS,
        ),
    )


# Hiring team


@staff_required
def hiring_team(request, pk):
    posting = get_posting(request.user, pk)
    if request.method == "POST":
        _require_manager(request.user)
    form = None
    if can_manage_postings(request.user):
        form = HiringTeamForm(request.POST if request.method == "POST" else None, posting=posting)
        if form.is_bound and form.is_valid():
            user = form.cleaned_data["user"]
            try:
                services.add_to_hiring_team(posting=posting, user=user)
            except ValidationError as error:
                form.add_error("user", error)
            else:
                messages.success(
                    request, f"{user.get_full_name() or user.username} is on the hiring team."
                )
                return redirect("dashboard:posting_team", posting.pk)
    members = posting.hiring_team.select_related("profile").order_by(
        "first_name", "last_name", "username"
    )
    return render(
        request,
        "dashboard/postings/hiring_team.html",
        _context(request, posting, "team", members=members, form=form),
    )


@require_POST
@staff_required
def hiring_team_remove(request, pk, user_pk):
    posting = _posting_for_write(request, pk)
    user = get_object_or_404(posting.hiring_team, pk=user_pk)
    services.remove_from_hiring_team(posting=posting, user=user)
    messages.success(request, f"{user.get_full_name() or user.username} is off the hiring team.")
    return redirect("dashboard:posting_team", posting.pk)


# Interview plan


def _plan_stages(posting: Posting) -> list[Stage]:
    """The stages a plan can hold steps in (applied and in progress), each with its steps,
    their attributes, pools and interview counts: four queries."""
    steps = Prefetch(
        "interview_steps",
        queryset=InterviewStep.objects.annotate(interview_count=Count("interviews"))
        .prefetch_related("attributes", "interviewers")
        .order_by("position", "id"),
    )
    stages = list(
        posting.stages.filter(kind__in=pipeline.OPEN_KINDS)
        .prefetch_related(steps)
        .order_by("position", "id")
    )
    for stage in stages:
        steps = list(stage.interview_steps.all())
        for index, step in enumerate(steps):
            step.can_move_up = index > 0
            step.can_move_down = index + 1 < len(steps)
    return stages


@staff_required
def posting_plan(request, pk):
    """The interview plan: each stage's steps, a form to add one and one to copy another
    posting's plan (recruiters); hiring managers read it."""
    posting = get_posting(request.user, pk)
    if request.method == "POST":
        _require_manager(request.user)
    form = copy_form = None
    if can_manage_postings(request.user):
        form = InterviewStepForm(
            request.POST if request.method == "POST" else None,
            instance=InterviewStep(),
            posting=posting,
            submit_label="Add step",
        )
        copy_form = CopyPlanForm(posting=posting, user=request.user)
        if saved := _save_step(request, posting, form, done="Step added"):
            return saved
    return render(
        request,
        "dashboard/postings/plan.html",
        _context(
            request,
            posting,
            "plan",
            stages=_plan_stages(posting),
            form=form,
            copy_form=copy_form,
        ),
    )


def _save_step(request, posting: Posting, form: InterviewStepForm, *, done: str):
    """Save a valid bound step form through the service: the redirect to the step, or None
    with the refusal on the form."""
    if not (form.is_bound and form.is_valid()):
        return None
    try:
        step = plan.save_step(
            step=form.save(commit=False),
            attributes=form.cleaned_data["attributes"],
            interviewers=form.cleaned_data["interviewers"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, f"{done}: “{step.name}”.")
    return redirect(_step_anchor(posting, step))


def _step_anchor(posting: Posting, step: InterviewStep) -> str:
    return reverse("dashboard:posting_plan", args=[posting.pk]) + f"#step-{step.pk}"


def _step_of(posting: Posting, step_pk) -> InterviewStep:
    return get_object_or_404(
        InterviewStep.objects.select_related("stage"), stage__posting=posting, pk=step_pk
    )


@require_POST
@staff_required
def plan_copy(request, pk):
    posting = _posting_for_write(request, pk)
    form = CopyPlanForm(request.POST, posting=posting, user=request.user)
    if not form.is_valid():
        _refusal(request, ValidationError(form.errors["source"]))
        return redirect("dashboard:posting_plan", posting.pk)
    source = form.cleaned_data["source"]
    copied = plan.copy_plan(source=source, target=posting)
    if copied.added:
        messages.success(
            request,
            f"Copied {copied.added} step{'s' if copied.added != 1 else ''} from “{source.title}”.",
        )
    else:
        messages.info(request, f"“{source.title}” has no step this plan lacks.")
    if copied.unmatched_stages:
        names = ", ".join(f"“{name}”" for name in copied.unmatched_stages)
        messages.warning(request, f"Not copied: this pipeline has no stage {names}.")
    return redirect("dashboard:posting_plan", posting.pk)


@staff_required
def step_edit(request, pk, step_pk):
    posting = get_posting(request.user, pk)
    step = _step_of(posting, step_pk)
    if request.method == "POST":
        _require_manager(request.user)
    if not can_manage_postings(request.user):
        return _read_only(
            request, posting, "plan", InterviewStepForm(instance=step, posting=posting)
        )
    form = InterviewStepForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(step),
        posting=posting,
    )
    if saved := _save_step(request, posting, form, done="Step saved"):
        return saved
    return render(
        request,
        "dashboard/postings/step_form.html",
        _context(request, posting, "plan", step=step, form=form),
    )


@require_POST
@staff_required
def step_move(request, pk, step_pk):
    posting = _posting_for_write(request, pk)
    step = _step_of(posting, step_pk)
    direction = _direction(request)
    if plan.move_step(step=step, direction=direction):
        messages.success(request, f"Moved “{step.name}” {direction}.")
    else:
        messages.info(request, f"“{step.name}” cannot move further {direction}.")
    return redirect(_step_anchor(posting, step))


@staff_required
def step_delete(request, pk, step_pk):
    posting = _posting_for_write(request, pk)
    step = _step_of(posting, step_pk)
    if request.method == "POST":
        try:
            plan.delete_step(step=step)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(request, f"Step deleted: “{step.name}”.")
        return redirect("dashboard:posting_plan", posting.pk)
    return render(
        request,
        "dashboard/postings/step_confirm_delete.html",
        _context(request, posting, "plan", step=step, interview_count=step.interviews.count()),
    )
