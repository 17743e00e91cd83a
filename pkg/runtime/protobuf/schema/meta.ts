/**
 * Protobuf schema of the apimachinery types that the built-in kinds share: meta/v1 (ObjectMeta,
 * LabelSelector, Time, Condition), util/intstr IntOrString and api/resource Quantity.
 *
 * Field numbers, names and types in every schema file match the descriptors compiled into
 * kubectl v1.32.5. The `(json)` option records the Go JSON tag, which ../json.ts follows:
 * - no option: the Go field has `omitempty`, so a zero scalar is left out.
 * - `"always"`: the Go field has no `omitempty`, so the zero value is written too.
 * - `"pointer"`: the Go field is a pointer, so a value sent on the wire is written even when zero.
 * - `"inline"`: the Go field is an embedded struct whose fields JSON lifts into the parent.
 */
export const META_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

// A point in time with one-second precision in JSON (RFC 3339, UTC).
message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

// The managed-fields set, a JSON document carried as bytes.
message FieldsV1 {
  optional bytes raw = 1;
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4;
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7;
  optional string subresource = 8;
}

message OwnerReference {
  optional string apiVersion = 5 [(json) = "always"];
  optional string kind = 1 [(json) = "always"];
  optional string name = 3 [(json) = "always"];
  optional string uid = 4 [(json) = "always"];
  optional bool controller = 6 [(json) = "pointer"];
  optional bool blockOwnerDeletion = 7 [(json) = "pointer"];
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10 [(json) = "pointer"];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message LabelSelectorRequirement {
  optional string key = 1 [(json) = "always"];
  optional string operator = 2 [(json) = "always"];
  repeated string values = 3;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message Condition {
  optional string type = 1 [(json) = "always"];
  optional string status = 2 [(json) = "always"];
  optional int64 observedGeneration = 3;
  optional Time lastTransitionTime = 4;
  optional string reason = 5 [(json) = "always"];
  optional string message = 6 [(json) = "always"];
}
`;

/** Protobuf schema of util/intstr IntOrString: a number when type is 0, a string when it is 1. */
export const INTSTR_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.util.intstr;

message IntOrString {
  optional int64 type = 1;
  optional int32 intVal = 2;
  optional string strVal = 3;
}
`;

/** Protobuf schema of api/resource Quantity, which travels as its string form ("500m", "1Gi"). */
export const RESOURCE_PROTO = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.api.resource;

message Quantity {
  optional string string = 1;
}
`;
