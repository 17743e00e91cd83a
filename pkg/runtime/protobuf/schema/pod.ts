/**
 * Protobuf schema of core/v1 Pod, PodTemplateSpec and PodSpec, with the pod-level security,
 * scheduling and DNS settings. Containers are in container.ts and volumes in volume.ts. Field
 * numbers are those of k8s.io/api v0.32, and meta.ts describes the `(json)` option.
 *
 * NOTE: PodSpec leaves out affinity, topologySpreadConstraints, ephemeralContainers,
 * resourceClaims, resources and the Windows security options, and PodStatus keeps only its
 * scalar fields. The decoder drops those fields when a client sends them.
 */
export const POD_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

message Pod {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
  optional PodStatus status = 3;
}

message PodTemplateSpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
}

message PodSpec {
  repeated Volume volumes = 1;
  repeated Container initContainers = 20;
  repeated Container containers = 2;
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4 [(json) = "pointer"];
  optional int64 activeDeadlineSeconds = 5 [(json) = "pointer"];
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional bool automountServiceAccountToken = 21 [(json) = "pointer"];
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional bool shareProcessNamespace = 27 [(json) = "pointer"];
  optional PodSecurityContext securityContext = 14;
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional string schedulerName = 19;
  repeated Toleration tolerations = 22;
  repeated HostAlias hostAliases = 23;
  optional string priorityClassName = 24;
  optional int32 priority = 25 [(json) = "pointer"];
  optional PodDNSConfig dnsConfig = 26;
  repeated PodReadinessGate readinessGates = 28;
  optional string runtimeClassName = 29 [(json) = "pointer"];
  optional bool enableServiceLinks = 30 [(json) = "pointer"];
  optional string preemptionPolicy = 31 [(json) = "pointer"];
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> overhead = 32;
  optional bool setHostnameAsFQDN = 35 [(json) = "pointer"];
  optional PodOS os = 36;
  optional bool hostUsers = 37 [(json) = "pointer"];
  repeated PodSchedulingGate schedulingGates = 38;
}

message PodStatus {
  optional string phase = 1;
  optional string message = 3;
  optional string reason = 4;
  optional string nominatedNodeName = 11;
  optional string hostIP = 5;
  optional string podIP = 6;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startTime = 7;
  optional string qosClass = 9;
}

message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1;
  optional int64 runAsUser = 2 [(json) = "pointer"];
  optional int64 runAsGroup = 6 [(json) = "pointer"];
  optional bool runAsNonRoot = 3 [(json) = "pointer"];
  repeated int64 supplementalGroups = 4;
  optional string supplementalGroupsPolicy = 12 [(json) = "pointer"];
  optional int64 fsGroup = 5 [(json) = "pointer"];
  repeated Sysctl sysctls = 7;
  optional string fsGroupChangePolicy = 9 [(json) = "pointer"];
  optional SeccompProfile seccompProfile = 10;
  optional AppArmorProfile appArmorProfile = 11;
  optional string seLinuxChangePolicy = 13 [(json) = "pointer"];
}

message SecurityContext {
  optional Capabilities capabilities = 1;
  optional bool privileged = 2 [(json) = "pointer"];
  optional SELinuxOptions seLinuxOptions = 3;
  optional int64 runAsUser = 4 [(json) = "pointer"];
  optional int64 runAsGroup = 8 [(json) = "pointer"];
  optional bool runAsNonRoot = 5 [(json) = "pointer"];
  optional bool readOnlyRootFilesystem = 6 [(json) = "pointer"];
  optional bool allowPrivilegeEscalation = 7 [(json) = "pointer"];
  optional string procMount = 9 [(json) = "pointer"];
  optional SeccompProfile seccompProfile = 11;
  optional AppArmorProfile appArmorProfile = 12;
}

message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}

message SELinuxOptions {
  optional string user = 1;
  optional string role = 2;
  optional string type = 3;
  optional string level = 4;
}

message SeccompProfile {
  optional string type = 1 [(json) = "always"];
  optional string localhostProfile = 2 [(json) = "pointer"];
}

message AppArmorProfile {
  optional string type = 1 [(json) = "always"];
  optional string localhostProfile = 2 [(json) = "pointer"];
}

message Sysctl {
  optional string name = 1 [(json) = "always"];
  optional string value = 2 [(json) = "always"];
}

message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5 [(json) = "pointer"];
}

message HostAlias {
  optional string ip = 1 [(json) = "always"];
  repeated string hostnames = 2;
}

message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}

message PodDNSConfigOption {
  optional string name = 1;
  optional string value = 2 [(json) = "pointer"];
}

message PodReadinessGate {
  optional string conditionType = 1 [(json) = "always"];
}

message PodOS {
  optional string name = 1 [(json) = "always"];
}

message PodSchedulingGate {
  optional string name = 1 [(json) = "always"];
}
`;
