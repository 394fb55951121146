/*
 * openapi.c - the OpenAPI 3.1 document, generated from the route tables so
 * that it cannot drift from what the server serves.
 */
#define _POSIX_C_SOURCE 200809L
#include "http/http.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static json_t *roles_json(int roles)
{
	static const int all[] = {ROLE_ADMIN, ROLE_PSIRT,  ROLE_AUDITOR,
				  ROLE_CI,    ROLE_DEVICE, ROLE_INGEST};
	json_t *a = json_array();
	if (roles & ROLE_PUBLIC) {
		json_array_append_new(a, json_string("public"));
		return a;
	}
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (roles & all[i])
			json_array_append_new(a, json_string(vg_role_name(all[i])));
	return a;
}

static json_t *error_ref(const char *desc)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", desc, "content",
			 "application/json", "schema", "$ref", "#/components/schemas/Error");
}

json_t *http_openapi(const struct http_route *const *tables)
{
	json_t *doc, *paths;

	doc = json_pack(
	    "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:{}, s:{s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}, "
	    "s:{s:s, s:s, s:s}}, s:{s:{s:s, s:[s], s:{s:{s:s, s:[s,s], s:{s:{s:s}, "
	    "s:{s:s}}}}}}}}",
	    "openapi", "3.1.0", "info", "title", "vigil API", "version", VIGIL_VERSION,
	    "description",
	    "Operational machinery of the EU Cyber Resilience Act: SBOMs, vulnerabilities, "
	    "PSIRT, updates, evidence. Errors are {\"error\":{\"code\",\"message\"}}.",
	    "servers", "url", "/", "paths", "components", "securitySchemes", "bearer", "type",
	    "http", "scheme", "bearer", "apiKey", "type", "apiKey", "in", "header", "name",
	    "X-Api-Key", "session", "type", "apiKey", "in", "cookie", "name", "vigil_session",
	    "schemas", "Error", "type", "object", "required", "error", "properties", "error",
	    "type", "object", "required", "code", "message", "properties", "code", "type", "string",
	    "message", "type", "string");
	if (!doc)
		return NULL;
	paths = json_object_get(doc, "paths");
	for (int t = 0; tables && tables[t]; t++) {
		for (const struct http_route *r = tables[t]; r->method; r++) {
			json_t *item, *op, *params, *responses;
			char method[16], opid[256];
			size_t k = 0;

			if (r->flags & HTTP_HIDDEN)
				continue;
			item = json_object_get(paths, r->pattern);
			if (!item) {
				item = json_object();
				json_object_set_new(paths, r->pattern, item);
			}
			for (k = 0; r->method[k] && k + 1 < sizeof(method); k++)
				method[k] = (char)tolower((unsigned char)r->method[k]);
			method[k] = '\0';
			k = (size_t)snprintf(opid, sizeof(opid), "%s", method);
			for (const char *p = r->pattern; *p && k + 1 < sizeof(opid); p++)
				if (isalnum((unsigned char)*p))
					opid[k++] = *p;
				else if (k && opid[k - 1] != '_')
					opid[k++] = '_';
			opid[k] = '\0';
			params = json_array();
			for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
				const char *e = strchr(p, '}');
				char name[64];
				if (!e)
					break;
				snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1), p + 1);
				json_array_append_new(params,
						      json_pack("{s:s, s:s, s:b, s:{s:s}}", "name",
								name, "in", "path", "required", 1,
								"schema", "type", "string"));
			}
			responses = json_pack("{s:{s:s}, s:o}", "200", "description", "success",
					      "default", error_ref("error"));
			if (!(r->roles & ROLE_PUBLIC)) {
				json_object_set_new(responses, "401",
						    error_ref("authentication required"));
				json_object_set_new(
				    responses, "403",
				    error_ref("role not allowed, or CSRF token missing"));
			}
			op = json_pack("{s:s, s:s, s:[s], s:o, s:o, s:o}", "summary", r->summary,
				       "operationId", opid, "tags", r->tag, "parameters", params,
				       "responses", responses, "x-vigil-roles",
				       roles_json(r->roles));
			if (r->roles & ROLE_PUBLIC)
				json_object_set_new(op, "security", json_array());
			else
				json_object_set_new(op, "security",
						    json_pack("[{s:[]}, {s:[]}, {s:[]}]", "bearer",
							      "apiKey", "session"));
			if (strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0 ||
			    strcmp(r->method, "PATCH") == 0)
				json_object_set_new(op, "requestBody",
						    json_pack("{s:b, s:{s:{}, s:{}, s:{}}}",
							      "required", 0, "content",
							      "application/json",
							      "application/x-www-form-urlencoded",
							      "application/octet-stream"));
			json_object_set_new(item, method, op);
		}
	}
	return doc;
}
