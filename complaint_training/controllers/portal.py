# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import math
from datetime import datetime, timedelta

import pytz

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.complaint_handling.tools.constants import (
    PARTNER_AGENT_GROUP,
    PARTNER_SUPERVISOR_GROUP,
)
from odoo.addons.portal.controllers.portal import CustomerPortal

# The portal's actions: CSRF-protected POSTs of logged-in users.
POST_ROUTE = {
    "type": "http",
    "auth": "user",
    "website": True,
    "methods": ["POST"],
    "csrf": True,
}
# The value of an <input type="datetime-local">.
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ComplaintTrainingPortal(CustomerPortal):
    """Training and quality of the partner organisations' agents: their
    qualifications, sessions and spot checks; their supervisor agents record
    the organisation's sessions. Everything is read as the user: the record
    rules decide what an agent sees."""

    # Rows of each list on the training page.
    _training_list_limit = 50

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _training_role(self):
        """ "supervisor", "agent", or None for a user who is no partner agent."""
        user = request.env.user
        if not user.commercial_partner_id.complaint_partner_org:
            return None
        if user.has_group(PARTNER_SUPERVISOR_GROUP):
            return "supervisor"
        if user.has_group(PARTNER_AGENT_GROUP):
            return "agent"
        return None

    def _training_check_role(self, supervisor=False):
        """The user's role; a 404 for anyone else."""
        role = self._training_role()
        if not role or (supervisor and role != "supervisor"):
            raise request.not_found()
        return role

    def _training_get(self, model, record_id):
        """The record as the current user sees it; a 404 when the user may not
        read it or it does not exist."""
        record = request.env[model].browse(record_id)
        try:
            record.check_access("read")
            record = record.exists()
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not record:
            raise request.not_found()
        return record

    def _training_get_review(self, review_id):
        """A spot check once reviewed; one being scored only for its reviewer."""
        review = self._training_get("complaint.qa.review", review_id)
        if review.state == "draft" and review.reviewer_id != request.env.user:
            raise request.not_found()
        return review

    def _training_search(self, model, domain, order=None):
        """The latest rows of a list, and whether there are more."""
        records = request.env[model].search(
            domain, order=order, limit=self._training_list_limit + 1
        )
        return (
            records[: self._training_list_limit],
            len(records) > self._training_list_limit,
        )

    @staticmethod
    def _training_tz():
        name = request.env.context.get("tz") or request.env.user.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.UTC

    def _training_parse_datetime(self, value):
        """A datetime typed in the user's time zone, in UTC as stored."""
        try:
            local = datetime.strptime((value or "").strip(), DATETIME_LOCAL)
        except ValueError as error:
            raise UserError(
                request.env._("Give the date and time of the session.")
            ) from error
        return (
            self._training_tz()
            .localize(local)
            .astimezone(pytz.UTC)
            .replace(tzinfo=None)
        )

    @staticmethod
    def _training_parse_number(value, message):
        """A number typed in a form (``None`` when empty); ``message`` when it
        is not one."""
        value = (value or "").strip().replace(",", ".")
        if not value:
            return None
        try:
            number = float(value)
        except ValueError as error:
            raise UserError(message) from error
        if not math.isfinite(number):
            raise UserError(message)
        return number

    def _training_form(self):
        """What was typed, to show it again; the ticked boxes as a list."""
        form = dict(request.params)
        form["attendee_ids"] = request.httprequest.form.getlist("attendee_ids")
        return form

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    def _training_home_values(self, role):
        env = request.env
        user = env.user
        org = user.commercial_partner_id
        today = fields.Date.context_today(user)
        warn_days = env.company.complaint_qualification_warn_days
        qualifications = env["complaint.qualification"].search(
            [("user_id", "=", user.id), ("state", "!=", "expired")]
        )
        attendances = env["complaint.training.attendance"].search(
            [("user_id", "=", user.id)]
        )
        reviews, more_reviews = self._training_search(
            "complaint.qa.review",
            [("reviewed_user_id", "=", user.id), ("state", "!=", "draft")],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "training",
                "role": role,
                "qualifications": qualifications,
                "expiring_before": today + timedelta(days=warn_days),
                "attendances": attendances,
                "training_hours": sum(attendances.mapped("hours")),
                "reviews": reviews,
                "more_reviews": more_reviews,
                "message": request.params.get("done"),
            }
        )
        if role == "supervisor":
            sessions, more_sessions = self._training_search(
                "complaint.training.session", [("partner_org_id", "=", org.id)]
            )
            org_reviews, more_org_reviews = self._training_search(
                "complaint.qa.review",
                [("partner_org_id", "=", org.id), ("state", "!=", "draft")],
            )
            needs, more_needs = self._training_search(
                "complaint.training.need",
                [
                    ("partner_org_id", "=", org.id),
                    ("state", "in", ("proposed", "confirmed")),
                ],
            )
            # Spot checks whose reviewer the carrier's quality team named.
            to_review, more_to_review = self._training_search(
                "complaint.qa.review",
                [("reviewer_id", "=", user.id), ("state", "=", "draft")],
            )
            values.update(
                {
                    "to_review": to_review,
                    "more_to_review": more_to_review,
                    "sessions": sessions,
                    "more_sessions": more_sessions,
                    "org_reviews": org_reviews,
                    "more_org_reviews": more_org_reviews,
                    "needs": needs,
                    "more_needs": more_needs,
                }
            )
        return values

    @http.route(["/my/training"], type="http", auth="user", website=True, readonly=True)
    def portal_my_training(self, **kw):
        role = self._training_check_role()
        return request.render(
            "complaint_training.portal_my_training", self._training_home_values(role)
        )

    def _training_session_new_values(self, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "training_session_new",
                "courses": request.env["complaint.training.course"].search([]),
                "error": None,
                "form": {},
            }
        )
        values.update(extra)
        return values

    @http.route(
        ["/my/training/sessions/new"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_training_session_new(self, **kw):
        self._training_check_role(supervisor=True)
        return request.render(
            "complaint_training.portal_training_session_new",
            self._training_session_new_values(),
        )

    def _training_session_vals(self, form):
        """The values of a new session from the form; the organisation is the
        user's, whatever the form says."""
        env = request.env
        try:
            course_id = int(form.get("course_id") or 0)
        except ValueError:
            course_id = 0
        course = env["complaint.training.course"].search([("id", "=", course_id)])
        if not course:
            raise UserError(env._("Choose a course."))
        trainer = (form.get("trainer") or "").strip()
        if not trainer:
            raise UserError(env._("Give the trainer's name."))
        vals = {
            "course_id": course.id,
            "partner_org_id": env.user.commercial_partner_id.id,
            "date": self._training_parse_datetime(form.get("date")),
            "trainer": trainer,
            "location": (form.get("location") or "").strip() or False,
            "online": bool(form.get("online")),
        }
        hours = self._training_parse_number(
            form.get("duration_hours"),
            env._("The hours of the session are a number, such as 1.5."),
        )
        if hours is not None:  # empty: the course's hours
            vals["duration_hours"] = hours
        return vals

    @http.route(["/my/training/sessions/new"], **POST_ROUTE)
    def portal_training_session_create(self, **kw):
        self._training_check_role(supervisor=True)
        form = self._training_form()
        try:
            with request.env.cr.savepoint():
                session = request.env["complaint.training.session"].create(
                    self._training_session_vals(form)
                )
        except AccessError:
            raise request.not_found() from None
        except (UserError, ValidationError) as error:
            values = self._training_session_new_values(error=error.args[0], form=form)
            return request.render(
                "complaint_training.portal_training_session_new", values, status=400
            )
        return request.redirect(f"/my/training/sessions/{session.id}?done=created")

    def _training_session_values(self, session, role, **extra):
        values = self._prepare_portal_layout_values()
        attendances = session.attendance_ids
        values.update(
            {
                "page_name": "training_session",
                "session": session,
                "role": role,
                "attendances": attendances,
                # The organisation's agents, each once, with their attendance.
                "org_agents": (
                    request.env.user.commercial_partner_id.complaint_agent_ids
                    if role == "supervisor"
                    else request.env["res.users"]
                ),
                "attendance_by_user": {a.user_id.id: a for a in attendances},
                "error": None,
                "error_action": None,
                "form": {},
                "message": request.params.get("done"),
            }
        )
        values.update(extra)
        return values

    @http.route(
        ["/my/training/sessions/<int:session_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_training_session(self, session_id, **kw):
        role = self._training_check_role()
        session = self._training_get("complaint.training.session", session_id)
        return request.render(
            "complaint_training.portal_training_session_page",
            self._training_session_values(session, role),
        )

    def _training_review_values(self, review, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "training_review",
                "review": review,
                # The reviewed person reads which complaint was checked, even
                # one the organisation no longer handles: its number only.
                "complaint_number": review.ticket_id.sudo().number,
                "can_dispute": review.reviewed_user_id == request.env.user
                and review.state == "done"
                and not review.dispute_reason,
                "can_score": review.reviewer_id == request.env.user
                and review.state == "draft",
                "error": None,
                "error_action": None,
                "form": {},
                "message": request.params.get("done"),
            }
        )
        values.update(extra)
        return values

    @http.route(
        ["/my/training/reviews/<int:review_id>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_training_review(self, review_id, **kw):
        self._training_check_role()
        review = self._training_get_review(review_id)
        return request.render(
            "complaint_training.portal_training_review_page",
            self._training_review_values(review),
        )

    # ------------------------------------------------------------------
    # Actions (POST, CSRF-protected)
    # ------------------------------------------------------------------

    def _training_run(self, record, action, run, template, values):
        """Run ``run(record)``; on a refusal, show the page again with the
        reason and what was typed (``values(record, **extra)`` gives the
        page's values)."""
        try:
            with request.env.cr.savepoint():
                run(record)
        except AccessError:
            raise request.not_found() from None
        except (UserError, ValidationError) as error:
            record.invalidate_recordset()
            page = values(
                record,
                error=error.args[0],
                error_action=action,
                form=self._training_form(),
            )
            return request.render(template, page, status=400)
        return None

    def _training_session_run(self, session_id, action, run):
        self._training_check_role(supervisor=True)
        session = self._training_get("complaint.training.session", session_id)
        response = self._training_run(
            session,
            action,
            run,
            "complaint_training.portal_training_session_page",
            lambda record, **extra: self._training_session_values(
                record, "supervisor", **extra
            ),
        )
        return response or request.redirect(
            f"/my/training/sessions/{session_id}?done={action}"
        )

    def _training_record_attendance(self, session, form):
        """The organisation's agents ticked attended (with their score), those
        unticked who were listed absent; the model checks that each is one of
        the organisation's people."""
        env = request.env
        if session.state != "planned":
            raise UserError(
                env._("Attendance is recorded while the session is planned.")
            )
        try:
            ticked = {int(user_id) for user_id in form["attendee_ids"]}
        except ValueError as error:
            raise UserError(env._("Tick the people who attended.")) from error
        users = env["res.users"].browse(sorted(ticked))
        if users.exists() != users:
            raise UserError(env._("Tick the people who attended."))
        existing = {a.user_id: a for a in session.attendance_ids}
        to_create = []
        for user in users:
            score = self._training_parse_number(
                form.get(f"score_{user.id}"),
                env._(
                    "The score of %(person)s is a number from 0 to 100.",
                    person=user.name,
                ),
            )
            vals = {"attended": True, "score": score or 0.0}
            if user in existing:
                existing[user].write(vals)
            else:
                to_create.append(dict(vals, session_id=session.id, user_id=user.id))
        env["complaint.training.attendance"].create(to_create)
        absent = session.attendance_ids.filtered(
            lambda a: a.user_id not in users and a.attended
        )
        absent.write({"attended": False, "score": 0.0})

    @http.route(["/my/training/sessions/<int:session_id>/attendance"], **POST_ROUTE)
    def portal_training_session_attendance(self, session_id, **kw):
        form = self._training_form()
        return self._training_session_run(
            session_id,
            "attendance",
            lambda session: self._training_record_attendance(session, form),
        )

    @http.route(["/my/training/sessions/<int:session_id>/done"], **POST_ROUTE)
    def portal_training_session_done(self, session_id, **kw):
        return self._training_session_run(
            session_id, "done", lambda session: session.action_done()
        )

    @staticmethod
    def _training_dispute(review, reason):
        """The reviewed person disputes the result (``action_dispute`` checks
        it again, as the user)."""
        if review.reviewed_user_id != request.env.user:
            raise UserError(
                request.env._("Only the reviewed person disputes a result.")
            )
        review.action_dispute(reason)

    def _training_score(self, review, form):
        """The reviewer's scores and comment: every criterion checked before
        anything is written; a criterion ticked N/A keeps its score. The
        model checks the reviewer again when the scores are written."""
        env = request.env
        if review.reviewer_id != env.user:
            raise UserError(
                env._("Only the reviewer named on the spot check scores it.")
            )
        if review.state != "draft":
            raise UserError(env._("This spot check is already reviewed."))
        to_write = []
        for line in review.line_ids:
            if form.get(f"na_{line.id}"):
                to_write.append((line, {"not_applicable": True}))
                continue
            message = env._(
                "%(criterion)s is scored with a whole number from 0 to %(scale)s, "
                "or ticked N/A.",
                criterion=line.criterion_id.name,
                scale=line.scale,
            )
            score = self._training_parse_number(form.get(f"score_{line.id}"), message)
            if score is None or not score.is_integer() or not 0 <= score <= line.scale:
                raise UserError(message)
            to_write.append((line, {"not_applicable": False, "score": int(score)}))
        for line, vals in to_write:
            if any(line[name] != value for name, value in vals.items()):
                line.write(vals)
        comment = (form.get("comment") or "").strip() or False
        if comment != review.comment:
            review.write({"comment": comment})

    def _training_review_run(self, review_id, action, run):
        self._training_check_role()
        review = self._training_get_review(review_id)
        response = self._training_run(
            review,
            action,
            run,
            "complaint_training.portal_training_review_page",
            self._training_review_values,
        )
        return response or request.redirect(
            f"/my/training/reviews/{review_id}?done={action}"
        )

    @http.route(["/my/training/reviews/<int:review_id>/scores"], **POST_ROUTE)
    def portal_training_review_scores(self, review_id, **kw):
        form = self._training_form()
        return self._training_review_run(
            review_id, "scores", lambda review: self._training_score(review, form)
        )

    @http.route(["/my/training/reviews/<int:review_id>/done"], **POST_ROUTE)
    def portal_training_review_done(self, review_id, **kw):
        form = self._training_form()

        def run(review):
            self._training_score(review, form)
            review.action_done()

        return self._training_review_run(review_id, "done", run)

    @http.route(["/my/training/reviews/<int:review_id>/dispute"], **POST_ROUTE)
    def portal_training_review_dispute(self, review_id, reason=None, **kw):
        return self._training_review_run(
            review_id,
            "dispute",
            lambda review: self._training_dispute(review, reason),
        )
