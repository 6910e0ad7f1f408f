# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def set_aside_existing(env, *models):
    """Reports count every complaint of the company: archive the complaints
    the database already holds (demo data) so that the counts are the test's,
    and delete the records of ``models`` (the demo's reports, sheets...)."""
    env.flush_all()
    env.cr.execute("UPDATE helpdesk_ticket SET active = FALSE WHERE active")
    env.invalidate_all()
    for model in models:
        env[model].search([]).unlink()
