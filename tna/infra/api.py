"""What every Latih API view shares: sign-in, permissions, filtering, paging, throttling and its schema.

The apps' views build on the classes here rather than on a host site's ``REST_FRAMEWORK``
defaults, so a site without that block (or with a different one) still asks for sign-in, still
filters, pages and throttles, and documents every error an operation can answer.

Throttles and their rates are in ``tna.infra.throttling``; the schema class in ``tna.infra.openapi``.
"""

from django import forms
from django_filters import rest_framework as filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, mixins, views, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated

from .openapi import AutoSchema
from .throttling import AnonThrottle, EnrollmentWriteThrottle, UserThrottle

__all__ = [
    "APIView", "AnonThrottle", "EnrollmentWriteThrottle", "GenericViewSet", "IdFilter", "LatihAPIMixin",
    "ListAPIView", "ListRetrieveViewSet", "NotFoundView", "Pagination", "ReadOnlyModelViewSet", "UserThrottle",
]

class Pagination(PageNumberPagination):
    """Pages of 50, ``?page=`` to move on."""

    page_size = 50


class LatihAPIMixin:
    """The defaults of every Latih API view; a view narrows them (``permission_classes``…) where it must."""

    authentication_classes = [SessionAuthentication, TokenAuthentication]
    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    pagination_class = Pagination
    throttle_classes = [AnonThrottle, UserThrottle]
    schema = AutoSchema()


class APIView(LatihAPIMixin, views.APIView):
    pass


class ListAPIView(LatihAPIMixin, generics.ListAPIView):
    pass


class GenericViewSet(LatihAPIMixin, viewsets.GenericViewSet):
    pass


class ReadOnlyModelViewSet(LatihAPIMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ListRetrieveViewSet(LatihAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve; writes are actions of the subclass, each with its own service call."""


class NotFoundView(APIView):
    """Any other address under the API: a JSON 404 like the API's own, not the site's HTML page."""

    permission_classes = []
    schema = None  # not an operation of the API

    def not_found(self, request, *args, **kwargs):
        raise NotFound()

    get = post = put = patch = delete = head = options = not_found


class IdFilter(filters.NumberFilter):
    """A database id as a query parameter: a whole number the database can store, else a 400.

    A plain ``NumberFilter`` passes any number on, and SQLite cannot compare a foreign key with an
    integer past 64 bits (a server error instead of an empty list).
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
