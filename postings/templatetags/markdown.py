from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# Formatting only. No tag or attribute here may carry behaviour: no script, style, form,
# input, media or frames, no event handlers, no style, and no hx-*/data-* attributes, which
# htmx would act on if it were ever loaded on the page.
ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@register.filter(name="markdown")
def render_markdown(text: str) -> str:
    """Markdown from recruiters, rendered and then sanitised: no raw HTML or scripts survive."""
    # Imported here, not with the tag library, which Django loads for every template engine:
    # a web worker that renders no Markdown (the dashboard, the apply form) does without them.
    import markdown as markdown_lib
    import nh3

    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        # "*" empty: none of the sanitiser's default attributes for every tag (lang, title).
        attributes={"*": set(), **ALLOWED_ATTRIBUTES},
        generic_attribute_prefixes=set(),
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  # nosec B308 B703 # nh3 has sanitised it
