# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup


def text_to_html(text):
    """Plain text someone typed (an agent's return reason, a technical
    request) as HTML: every character escaped, lines kept, nothing turned into
    a link or markup. Odoo's ``plaintext2html`` would make links of the URLs
    in it, which in another user's activity are an invitation to click."""
    lines = (text or "").splitlines() or [""]
    return Markup("<p>%s</p>") % Markup("<br>").join(lines)
