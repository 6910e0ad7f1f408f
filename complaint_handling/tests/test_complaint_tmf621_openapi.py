# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.tests import HttpCase, tagged

from ..tools.tmf621 import (
    BASE_PATHS,
    CHARACTERISTIC_FIELDS,
    CREATE_ATTRIBUTES,
    DATE_FILTERS,
    DATE_OPERATORS,
    EVENT_TYPES,
    LIST_FILTERS,
    PATCH_ATTRIBUTES,
    PATCH_CHARACTERISTICS,
)

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# A route's converter (<string:ticket_id>, <int:id>, <id>) -> OpenAPI's {id}.
CONVERTER = re.compile(r"<(?:[^:<>]+:)?[^<>]+>")


@tagged("post_install", "-at_install")
class TestTmf621OpenApi(HttpCase):
    """The served OpenAPI document describes exactly what the API serves: an
    endpoint, a filter or an attribute added without documenting it fails."""

    def _document(self, base=BASE_PATHS[-1]):
        response = self.url_open(f"{base}/openapi.json")  # no authentication
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        return response.json()

    def _served(self):
        """{base path: {(method, path)}} of the routes under the API's base
        paths, from the database's routing map (every controller)."""
        served = {base: set() for base in BASE_PATHS}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            base = next((b for b in BASE_PATHS if rule.rule.startswith(f"{b}/")), None)
            if not base:
                continue
            path = CONVERTER.sub("{id}", rule.rule[len(base) :])
            # werkzeug adds HEAD to GET; a route without methods takes any.
            methods = set(rule.methods or {"any method"}) - {"HEAD", "OPTIONS"}
            served[base] |= {(method.lower(), path) for method in methods}
        return served

    def _schema(self, document, name):
        return document["components"]["schemas"][name]

    def _names(self, schema):
        """The characteristic names a troubleTicketCharacteristic allows."""
        items = schema["properties"]["troubleTicketCharacteristic"]["items"]
        return {
            name
            for part in items["allOf"]
            for name in part.get("properties", {}).get("name", {}).get("enum", [])
        }

    def test_document_describes_every_route(self):
        document = self._document()
        self.assertTrue(document["openapi"].startswith("3."))
        self.assertEqual(self._document(BASE_PATHS[0]), document)
        self.assertEqual(
            {server["url"] for server in document["servers"]}, set(BASE_PATHS)
        )
        self.assertEqual(
            document["components"]["securitySchemes"]["bearerAuth"]["scheme"],
            "bearer",
        )
        documented = {
            (method, path)
            for path, item in document["paths"].items()
            for method in item
            if method in HTTP_METHODS
        }
        served = self._served()
        self.assertEqual(served[BASE_PATHS[0]], served[BASE_PATHS[1]])
        self.assertIn(("get", "/troubleTicket/{id}"), served[BASE_PATHS[-1]])
        self.assertEqual(documented, served[BASE_PATHS[-1]])
        # Every reference resolves.
        references = set(_references(document))
        self.assertTrue(references)
        for reference in references:
            node = document
            for part in reference.removeprefix("#/").split("/"):
                self.assertIn(part, node, reference)
                node = node[part]

    def test_document_describes_filters_and_attributes(self):
        document = self._document()
        parameters = document["components"]["parameters"]
        listed = {
            parameters[item["$ref"].rsplit("/", 1)[1]]["name"]
            for item in document["paths"]["/troubleTicket"]["get"]["parameters"]
        }
        filters = {"fields", "offset", "limit", "status", "priority"}
        filters |= set(LIST_FILTERS)
        filters |= {
            f"{name}.{operator}" if operator else name
            for name in DATE_FILTERS
            for operator in DATE_OPERATORS
        }
        self.assertEqual(listed, filters)
        create = self._schema(document, "TroubleTicket_Create")
        self.assertEqual(set(create["properties"]), CREATE_ATTRIBUTES)
        self.assertEqual(self._names(create), set(CHARACTERISTIC_FIELDS) | {"category"})
        update = self._schema(document, "TroubleTicket_Update")
        self.assertEqual(set(update["properties"]), PATCH_ATTRIBUTES)
        self.assertEqual(self._names(update), PATCH_CHARACTERISTICS)
        event = self._schema(document, "TroubleTicketEvent")
        self.assertEqual(event["properties"]["eventType"]["enum"], list(EVENT_TYPES))
        # What a ticket gives is documented.
        ticket, _created = self.env["helpdesk.ticket"].tmf_create(
            {"description": "Calls drop in the metro since Monday."}
        )
        resource = ticket._tmf_resources("/troubleTicket")[0]
        schema = self._schema(document, "TroubleTicket")
        self.assertLessEqual(set(resource), set(schema["properties"]))
        self.assertLessEqual(set(ticket._tmf_characteristics()), self._names(schema))


def _references(node):
    """The $ref values in a JSON document."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)
