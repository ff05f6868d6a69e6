from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def examples(issue, rows):
    # ruleid: sanzhang-mark-safe
    mark_safe(f"<b>{issue.title}</b>")
    # ruleid: sanzhang-mark-safe
    SafeString(issue.description)
    # ok: sanzhang-mark-safe
    format_html("<b>{}</b>", issue.title)
    # ruleid: sanzhang-format-html-preformatted
    format_html(f"<b>{issue.title}</b>")
    # ruleid: sanzhang-format-html-preformatted
    format_html("<b>%s</b>" % issue.title, 1)
    # ruleid: sanzhang-format-html-preformatted
    format_html("<b>{}</b>".format(issue.title), 1)
    # ruleid: sanzhang-format-html-preformatted
    format_html_join("\n", "<li>" + issue.title + " {}</li>", rows)
    # ok: sanzhang-format-html-preformatted
    format_html_join("\n", "<li>{}</li>", ((row,) for row in rows))
    # ok: sanzhang-format-html-preformatted
    format_html("<a href='{}'>{}</a>", issue.url, issue.title)
    # ruleid: sanzhang-format-html-no-arguments
    format_html("<br>")
    # ruleid: sanzhang-format-html-no-arguments
    format_html(issue.title)
    # ok: sanzhang-format-html-no-arguments
    format_html("<b>{}</b>", issue.title)
