/**
 * Protobuf schema of core/v1 Volume with the hostPath, emptyDir, secret, persistentVolumeClaim,
 * downwardAPI, configMap and projected sources. Field numbers are those of k8s.io/api v0.32, and
 * meta.ts describes the `(json)` option.
 *
 * NOTE: the network and cloud volume sources (nfs, iscsi, csi, ephemeral, image and others) are
 * not in the schema, so the decoder drops them when a client sends them.
 */
export const VOLUME_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

message Volume {
  optional string name = 1 [(json) = "always"];
  optional VolumeSource volumeSource = 2 [(json) = "inline"];
}

message VolumeSource {
  optional HostPathVolumeSource hostPath = 1;
  optional EmptyDirVolumeSource emptyDir = 2;
  optional SecretVolumeSource secret = 6;
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional DownwardAPIVolumeSource downwardAPI = 16;
  optional ConfigMapVolumeSource configMap = 19;
  optional ProjectedVolumeSource projected = 26;
}

message HostPathVolumeSource {
  optional string path = 1 [(json) = "always"];
  optional string type = 2 [(json) = "pointer"];
}

message EmptyDirVolumeSource {
  optional string medium = 1;
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity sizeLimit = 2;
}

message KeyToPath {
  optional string key = 1 [(json) = "always"];
  optional string path = 2 [(json) = "always"];
  optional int32 mode = 3 [(json) = "pointer"];
}

message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(json) = "pointer"];
  optional bool optional = 4 [(json) = "pointer"];
}

message ConfigMapVolumeSource {
  optional LocalObjectReference localObjectReference = 1 [(json) = "inline"];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(json) = "pointer"];
  optional bool optional = 4 [(json) = "pointer"];
}

message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1 [(json) = "always"];
  optional bool readOnly = 2;
}

message DownwardAPIVolumeFile {
  optional string path = 1 [(json) = "always"];
  optional ObjectFieldSelector fieldRef = 2;
  optional ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4 [(json) = "pointer"];
}

message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2 [(json) = "pointer"];
}

message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1;
  optional int32 defaultMode = 2 [(json) = "pointer"];
}

message VolumeProjection {
  optional SecretProjection secret = 1;
  optional DownwardAPIProjection downwardAPI = 2;
  optional ConfigMapProjection configMap = 3;
  optional ServiceAccountTokenProjection serviceAccountToken = 4;
  optional ClusterTrustBundleProjection clusterTrustBundle = 5;
}

message SecretProjection {
  optional LocalObjectReference localObjectReference = 1 [(json) = "inline"];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(json) = "pointer"];
}

message ConfigMapProjection {
  optional LocalObjectReference localObjectReference = 1 [(json) = "inline"];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(json) = "pointer"];
}

message DownwardAPIProjection {
  repeated DownwardAPIVolumeFile items = 1;
}

message ServiceAccountTokenProjection {
  optional string audience = 1;
  optional int64 expirationSeconds = 2 [(json) = "pointer"];
  optional string path = 3 [(json) = "always"];
}

message ClusterTrustBundleProjection {
  optional string name = 1 [(json) = "pointer"];
  optional string signerName = 2 [(json) = "pointer"];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 3;
  optional bool optional = 5 [(json) = "pointer"];
  optional string path = 4 [(json) = "always"];
}
`;
