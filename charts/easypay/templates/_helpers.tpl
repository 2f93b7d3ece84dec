{{/*
Chart name, truncated to the 63 characters of a DNS label.
*/}}
{{- define "easypay.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, truncated to 63 characters. When the release name already
contains the chart name it is used as is (release "easypay" → "easypay").
*/}}
{{- define "easypay.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "easypay.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels shared by every resource.
*/}}
{{- define "easypay.labels" -}}
helm.sh/chart: {{ include "easypay.chart" . }}
{{ include "easypay.selectorLabels" . }}
{{- with .Chart.AppVersion }}
app.kubernetes.io/version: {{ . | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: easypay
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of the release (no component).
*/}}
{{- define "easypay.selectorLabels" -}}
app.kubernetes.io/name: {{ include "easypay.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of a component's resources. Call with (dict "ctx" $ "component" "frontend").
*/}}
{{- define "easypay.componentLabels" -}}
{{ include "easypay.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Selector labels of a component. Call with (dict "ctx" $ "component" "frontend").
*/}}
{{- define "easypay.componentSelectorLabels" -}}
{{ include "easypay.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Name of a component's resources: <fullname>-<component>. Call with (dict "ctx" $ "component" "frontend").
*/}}
{{- define "easypay.componentName" -}}
{{- printf "%s-%s" (include "easypay.fullname" .ctx) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Per-component shortcuts. */}}
{{- define "easypay.frontend.fullname" -}}
{{ include "easypay.componentName" (dict "ctx" . "component" "frontend") }}
{{- end }}

{{- define "easypay.frontend.labels" -}}
{{ include "easypay.componentLabels" (dict "ctx" . "component" "frontend") }}
{{- end }}

{{- define "easypay.frontend.selectorLabels" -}}
{{ include "easypay.componentSelectorLabels" (dict "ctx" . "component" "frontend") }}
{{- end }}

{{- define "easypay.frontend.serviceAccountName" -}}
{{ include "easypay.frontend.fullname" . }}
{{- end }}

{{- define "easypay.backend.fullname" -}}
{{ include "easypay.componentName" (dict "ctx" . "component" "backend") }}
{{- end }}

{{- define "easypay.backend.labels" -}}
{{ include "easypay.componentLabels" (dict "ctx" . "component" "backend") }}
{{- end }}

{{- define "easypay.backend.selectorLabels" -}}
{{ include "easypay.componentSelectorLabels" (dict "ctx" . "component" "backend") }}
{{- end }}

{{- define "easypay.backend.serviceAccountName" -}}
{{ include "easypay.backend.fullname" . }}
{{- end }}

{{/*
The component-specific parts of templates/deployments.yaml, one set per component, each called with
the root context ($). checksums: pod annotations that change when the component's configuration does,
so the pods roll; containerName; env: the container's envFrom/env (may be empty); volumeMounts and
volumes: the writable paths of a read-only root filesystem, and the configuration.
*/}}
{{- define "easypay.frontend.checksums" -}}
checksum/nginx-config: {{ include (print .Template.BasePath "/frontend-configmap.yaml") . | sha256sum }}
{{- end }}

{{- define "easypay.frontend.containerName" -}}
nginx
{{- end }}

{{- define "easypay.frontend.env" -}}
{{- end }}

{{- define "easypay.frontend.volumeMounts" -}}
- name: nginx-config
  mountPath: /etc/nginx/conf.d
  readOnly: true
- name: tmp
  mountPath: /tmp
- name: cache
  mountPath: /var/cache/nginx
- name: run
  mountPath: /var/run
{{- end }}

{{- define "easypay.frontend.volumes" -}}
- name: nginx-config
  configMap:
    name: {{ include "easypay.frontend.fullname" . }}-nginx
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
- name: cache
  emptyDir:
    sizeLimit: 128Mi
- name: run
  emptyDir:
    medium: Memory
    sizeLimit: 1Mi
{{- end }}

{{- define "easypay.backend.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/backend-configmap.yaml") . | sha256sum }}
{{- end }}

{{- define "easypay.backend.containerName" -}}
api
{{- end }}

{{- define "easypay.backend.env" -}}
{{- /* Settings only, no credential: the database accepts IAM auth tokens the API signs with its IRSA role. */}}
envFrom:
  - configMapRef:
      name: {{ include "easypay.backend.fullname" . }}-config
{{- end }}

{{- define "easypay.backend.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "easypay.backend.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end }}

{{- define "easypay.test.selectorLabels" -}}
{{ include "easypay.componentSelectorLabels" (dict "ctx" . "component" "test") }}
{{- end }}

{{/*
Container image reference: repository@digest when a digest is given, else repository:tag
(tag defaults to the chart appVersion). Call with (dict "image" .Values.x.image "ctx" $).
*/}}
{{- define "easypay.image" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (.image.tag | default .ctx.Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/*
Name of the SecretStore of the application's own secrets (the namespace stays in it, as when the store was cluster-scoped).
*/}}
{{- define "easypay.secretStoreName" -}}
{{- printf "%s-%s-app-secrets" (include "easypay.fullname" .) .Release.Namespace | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The chart's service accounts that carry an IAM role (IRSA annotation), as a YAML list: the workload identity
policy guards them, and each is also the name of its component's Deployment.
*/}}
{{- define "easypay.iamServiceAccounts" -}}
{{- $names := list }}
{{- range $component := list "frontend" "backend" }}
{{- if hasKey ((index $.Values $component).serviceAccount.annotations | default dict) "eks.amazonaws.com/role-arn" }}
{{- $names = append $names (include "easypay.componentName" (dict "ctx" $ "component" $component)) }}
{{- end }}
{{- end }}
{{- toYaml $names }}
{{- end }}

{{/*
Restricted (Pod Security Standard) pod securityContext. Call with the component's securityContext values.
*/}}
{{- define "easypay.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ int .runAsUser }}
runAsGroup: {{ int .runAsGroup }}
{{- with .fsGroup }}
fsGroup: {{ int . }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Restricted (Pod Security Standard) container securityContext. Call with the component's securityContext values.
*/}}
{{- define "easypay.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: {{ int .runAsUser }}
runAsGroup: {{ int .runAsGroup }}
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
preStop hook that keeps the pod serving while the ALB deregisters it: the native sleep action
(beta and on by default since Kubernetes 1.30, the chart's kubeVersion floor), so the image needs
no sleep binary. Call with (dict "seconds" N "ctx" $).
*/}}
{{- define "easypay.preStop" -}}
preStop:
  sleep:
    seconds: {{ int .seconds }}
{{- end }}

{{/*
Readiness, liveness and startup probes of a component. Call with (dict "probes" .Values.x.probes).
*/}}
{{- define "easypay.probes" -}}
{{- $p := .probes }}
{{- range $kind := list "readiness" "liveness" "startup" }}
{{- $c := index $p $kind }}
{{ $kind }}Probe:
  httpGet:
    path: {{ $p.path }}
    port: http
  periodSeconds: {{ int $c.periodSeconds }}
  timeoutSeconds: {{ int $c.timeoutSeconds }}
  failureThreshold: {{ int $c.failureThreshold }}
{{- end }}
{{- end }}

{{/*
Topology spread constraints of a component: zones (strict by default) then nodes (best effort).
matchLabelKeys keeps the spread per ReplicaSet, so rolling updates stay balanced.
Call with (dict "spread" .Values.x.topologySpread "selector" (include "...selectorLabels" $)).
*/}}
{{- define "easypay.topologySpread" -}}
- topologyKey: topology.kubernetes.io/zone
  maxSkew: {{ int .spread.zone.maxSkew }}
  whenUnsatisfiable: {{ .spread.zone.whenUnsatisfiable }}
  {{- with .spread.zone.minDomains }}
  minDomains: {{ int . }}
  {{- end }}
  nodeTaintsPolicy: {{ .spread.zone.nodeTaintsPolicy }}
  labelSelector:
    matchLabels:
      {{- .selector | nindent 6 }}
  matchLabelKeys:
    - pod-template-hash
- topologyKey: kubernetes.io/hostname
  maxSkew: {{ int .spread.hostname.maxSkew }}
  whenUnsatisfiable: {{ .spread.hostname.whenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- .selector | nindent 6 }}
  matchLabelKeys:
    - pod-template-hash
{{- end }}
