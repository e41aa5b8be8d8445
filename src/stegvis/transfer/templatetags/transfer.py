from django import template

from stegvis.transfer.columns import KINDS

register = template.Library()


@register.filter
def kind_title(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.title) if kind else key
