"""The open data API's schema: every answer an operation may give, documented.

Besides its 200, every operation may answer 429 (the `api` rate limit), every
list 404 (a page number past the last page) and 400 (a filter's value is not
valid), every item 404. drf-spectacular documents only the 200 by itself, so
clients (and schemathesis) met answers the schema did not name.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


BAD_FILTER = OpenApiResponse(
    description="A filter's value is not valid: each filter with its messages.",
    response={"type": "object", "additionalProperties": {"type": "array"}},
)
NO_SUCH_PAGE = OpenApiResponse(ErrorSerializer, description="No such page.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Not found.")
TOO_MANY_REQUESTS = OpenApiResponse(
    ErrorSerializer,
    description="Past the rate limit; the Retry-After header says when to retry.",
)


class OpenDataSchema(AutoSchema):
    """Documents the 400, 404 and 429 an operation may give besides its 200,
    and that an optional query parameter may be empty (`?kind=`)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        extra = {"429": TOO_MANY_REQUESTS}
        if self._is_list_view():
            extra["404"] = NO_SUCH_PAGE
            if self.get_filter_backends():
                extra["400"] = BAD_FILTER
        elif "{" in self.path:
            extra["404"] = NOT_FOUND
        for code, answer in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    answer, code, direction=direction
                )
        return responses

    def _get_parameters(self):
        # django-filter and the paginator read `?kind=` or `?page=` (what a
        # page's form sends for "all") as no value at all.
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        return parameters
