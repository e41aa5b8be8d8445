from typing import Any

from django.http import HttpRequest

from stegvis.access.scope import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation may offer this user (menus only; views check access themselves)."""
    user = getattr(request, "user", None)
    scope = scope_for(user)
    return {
        "nav": {
            "records": scope.has_record_access,
            "aggregates": scope.has_aggregate_access,
            "audit": bool(scope.coordinator_org_ids),
            "catalogue": bool(scope.manager_programme_ids or scope.administrator_org_ids),
            "admin": bool(user is not None and getattr(user, "is_staff", False)),
        }
    }
