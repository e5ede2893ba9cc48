"""Routing a request to a page with at most one query per level of the tree.

Wagtail's `Page.route` reads each child's base row and then, for `.specific`, its own
row: two queries per level. A page's children and their types change only when pages
are published, moved or deleted, all of which bump the generation, so that map is
shared (`shared.py`) and the child is read once, as its own type.

For a visitor without a session the child itself is shared too: what such a visitor is
served of it (its published fields, and the relations in `route_select_related` and
`route_prefetch_related`) changes only with a bump. Someone signed in may be an editor,
whose toolbar reads draft state (locks, unpublished changes) that a bump does not
follow, so they get the row as it is, and one more query for each prefetched relation.
"""

from django.contrib.contenttypes.models import ContentType

from .shared import shared, without_session


def children(page) -> dict[str, tuple[int, int]]:
    """The page's children: (content type id, page id) by slug."""
    from wagtail.models import Page

    return shared(
        f"routing:children:{page.pk}",
        lambda: {
            slug: (type_id, pk)
            for slug, type_id, pk in Page.objects.child_of(page).values_list(
                "slug", "content_type_id", "pk"
            )
        },
    )


def read_child(parent, model, slug: str):
    rows = model.objects.child_of(parent).filter(slug=slug)
    if related := getattr(model, "route_select_related", ()):
        rows = rows.select_related(*related)
    if many := getattr(model, "route_prefetch_related", ()):
        rows = rows.prefetch_related(*many)
    return rows.first()


class ChildRoute:
    """A page model mixin: children found as their specific type in one query.

    Goes after RoutablePageMixin, whose own routes still come first. A child model may
    name relations its page always shows: `route_select_related` for those read in the
    same query, `route_prefetch_related` for its own many-to-many ones (published with
    the page, so they too change only with a bump).
    """

    def route(self, request, path_components):
        if path_components and (found := children(self).get(path_components[0])):
            type_id, pk = found
            model = ContentType.objects.get_for_id(type_id).model_class()
            if model is not None:
                slug = path_components[0]
                if without_session(request):
                    child = shared(f"routing:page:{pk}", lambda: read_child(self, model, slug))
                else:
                    child = read_child(self, model, slug)
                if child is not None:
                    # As Wagtail does: get_parent() needs no query then.
                    child._cached_parent_obj = self
                    return child.route(request, path_components[1:])
        return super().route(request, path_components)
