// Type-checked with `tsc --strict` against the types openapi-typescript generates from
// api_specs/openapi.json (.ci/contract.sh): a web or phone team's code in miniature. It
// fails to compile when the spec loses a type, a required field or an error body.
import type { components, operations, paths } from "./generated/api";

type Schemas = components["schemas"];
type Site = Schemas["Site"];
type ApiError = Schemas["Error"];

// Every field of a site is present and typed; outlet_operator may be null.
export function describeSite(site: Site): string {
  const kind: "self_run" | "agency" | null = site.outlet_operator;
  const where: number = site.location.lat + site.location.lon;
  return `${site.name} (${site.site_type}, ${kind ?? "-"}) at ${where.toFixed(4)} ${site.location.crs}`;
}

// A page of the nearby search: items with their distances, nearest first.
type Nearby =
  operations["listNearbySites"]["responses"][200]["content"]["application/json"];
export function nearest(page: Nearby): number | undefined {
  return page.items[0]?.distance_m;
}

// The sync feed: a change carries its site, or null for a checklist change.
type Changes = paths["/api/v1/sync/changes"]["get"]["responses"][200]["content"]["application/json"];
export function syncedSiteNames(changes: Changes): string[] {
  return changes.items.flatMap((change) => (change.site === null ? [] : [change.site.name]));
}

// A submission: the request body type, with a nullable location.
type Submit = operations["submitInspection"]["requestBody"]["content"]["application/json"];
export const draft: Submit = {
  site_id: "0b7f3c1e-5d8a-4c1b-9a51-2f1f0f6d3a10",
  template_id: "6a1d9e2b-7c3f-4e8a-b1d2-3c4e5f6a7b8c",
  kind: "routine",
  status: "draft",
  started_at: "2026-03-02T10:05:00+08:00",
  location: null,
};

// Errors arrive typed on every declared status: 404, 409 and 422 share one body.
type NotFound = operations["getSite"]["responses"][404]["content"]["application/json"];
type Conflict = operations["submitInspection"]["responses"][409]["content"]["application/json"];
type Invalid = operations["submitInspection"]["responses"][422]["content"]["application/json"];
export function firstProblem(error: NotFound | Conflict | Invalid): string {
  const body: ApiError = error;
  const fields = body.errors?.json ?? {};
  const [field, messages] = Object.entries(fields)[0] ?? ["", []];
  const text = Array.isArray(messages) ? messages.join(" ") : JSON.stringify(messages);
  return field ? `${field}: ${text}` : `${body.code} ${body.status}: ${body.message ?? ""}`;
}
export function allowedMoves(error: Conflict): string[] {
  return error.errors?.state?.allowed ?? [];
}
