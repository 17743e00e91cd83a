/**
 * Protobuf schema of core/v1 Container and what it refers to: ports, environment, resources,
 * volume mounts, probes and lifecycle hooks. Field numbers are those of k8s.io/api v0.32, and
 * meta.ts describes the `(json)` option.
 */
export const CONTAINER_PROTO = `
syntax = "proto2";
package k8s.io.api.core.v1;

message Container {
  optional string name = 1 [(json) = "always"];
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvFromSource envFrom = 19;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24 [(json) = "pointer"];
  repeated VolumeMount volumeMounts = 9;
  repeated VolumeDevice volumeDevices = 21;
  optional Probe livenessProbe = 10;
  optional Probe readinessProbe = 11;
  optional Probe startupProbe = 22;
  optional Lifecycle lifecycle = 12;
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15;
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}

message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3 [(json) = "always"];
  optional string protocol = 4;
  optional string hostIP = 5;
}

message EnvVar {
  optional string name = 1 [(json) = "always"];
  optional string value = 2;
  optional EnvVarSource valueFrom = 3;
}

message EnvVarSource {
  optional ObjectFieldSelector fieldRef = 1;
  optional ResourceFieldSelector resourceFieldRef = 2;
  optional ConfigMapKeySelector configMapKeyRef = 3;
  optional SecretKeySelector secretKeyRef = 4;
}

message ObjectFieldSelector {
  optional string apiVersion = 1;
  optional string fieldPath = 2 [(json) = "always"];
}

message ResourceFieldSelector {
  optional string containerName = 1;
  optional string resource = 2 [(json) = "always"];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity divisor = 3;
}

message ConfigMapKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(json) = "inline"];
  optional string key = 2 [(json) = "always"];
  optional bool optional = 3 [(json) = "pointer"];
}

message SecretKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(json) = "inline"];
  optional string key = 2 [(json) = "always"];
  optional bool optional = 3 [(json) = "pointer"];
}

message EnvFromSource {
  optional string prefix = 1;
  optional ConfigMapEnvSource configMapRef = 2;
  optional SecretEnvSource secretRef = 3;
}

message ConfigMapEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(json) = "inline"];
  optional bool optional = 2 [(json) = "pointer"];
}

message SecretEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(json) = "inline"];
  optional bool optional = 2 [(json) = "pointer"];
}

message ResourceRequirements {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
  repeated ResourceClaim claims = 3;
}

message ResourceClaim {
  optional string name = 1 [(json) = "always"];
  optional string request = 2;
}

message ContainerResizePolicy {
  optional string resourceName = 1 [(json) = "always"];
  optional string restartPolicy = 2 [(json) = "always"];
}

message VolumeMount {
  optional string name = 1 [(json) = "always"];
  optional bool readOnly = 2;
  optional string recursiveReadOnly = 7 [(json) = "pointer"];
  optional string mountPath = 3 [(json) = "always"];
  optional string subPath = 4;
  optional string mountPropagation = 5 [(json) = "pointer"];
  optional string subPathExpr = 6;
}

message VolumeDevice {
  optional string name = 1 [(json) = "always"];
  optional string devicePath = 2 [(json) = "always"];
}

message Probe {
  optional ProbeHandler handler = 1 [(json) = "inline"];
  optional int32 initialDelaySeconds = 2;
  optional int32 timeoutSeconds = 3;
  optional int32 periodSeconds = 4;
  optional int32 successThreshold = 5;
  optional int32 failureThreshold = 6;
  optional int64 terminationGracePeriodSeconds = 7 [(json) = "pointer"];
}

message ProbeHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional GRPCAction grpc = 4;
}

message Lifecycle {
  optional LifecycleHandler postStart = 1;
  optional LifecycleHandler preStop = 2;
}

message LifecycleHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional SleepAction sleep = 4;
}

message ExecAction {
  repeated string command = 1;
}

message HTTPGetAction {
  optional string path = 1;
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 2;
  optional string host = 3;
  optional string scheme = 4;
  repeated HTTPHeader httpHeaders = 5;
}

message HTTPHeader {
  optional string name = 1 [(json) = "always"];
  optional string value = 2 [(json) = "always"];
}

message TCPSocketAction {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 1;
  optional string host = 2;
}

message GRPCAction {
  optional int32 port = 1 [(json) = "always"];
  optional string service = 2 [(json) = "pointer"];
}

message SleepAction {
  optional int64 seconds = 1 [(json) = "always"];
}
`;
