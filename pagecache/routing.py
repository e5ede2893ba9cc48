"""Routing a request to a page in one query per level of the tree.

Wagtail's `Page.route` reads each child's base row and then, for `.specific`, its own
row: two queries per level. A page's children and their types change only when pages
are published, moved or deleted, all of which bump the generation, so that map is
shared (`shared.py`) and the child is read once, as its own type.
"""

from django.contrib.contenttypes.models import ContentType

from .shared import shared


def child_types(page) -> dict[str, int]:
    from wagtail.models import Page

    return shared(
        f"routing:children:{page.pk}",
        lambda: dict(Page.objects.child_of(page).values_list("slug", "content_type_id")),
    )


class ChildRoute:
    """A page model mixin: children found as their specific type in one query.

    Goes after RoutablePageMixin, whose own routes still come first. A child model may
    name relations in `route_select_related` that its page always shows.
    """

    def route(self, request, path_components):
        if path_components and (type_id := child_types(self).get(path_components[0])):
            model = ContentType.objects.get_for_id(type_id).model_class()
            if model is not None:
                children = model.objects.child_of(self).filter(slug=path_components[0])
                related = getattr(model, "route_select_related", ())
                child = (children.select_related(*related) if related else children).first()
                if child is not None:
                    # As Wagtail does: get_parent() needs no query then.
                    child._cached_parent_obj = self
                    return child.route(request, path_components[1:])
        return super().route(request, path_components)
