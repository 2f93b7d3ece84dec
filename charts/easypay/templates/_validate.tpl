{{/*
Cross-field checks that values.schema.json cannot express. Each failed check stops the
render with a message naming the values to fix.
*/}}
{{- define "easypay.validate" -}}
{{- $v := .Values }}
{{- range $component := list "frontend" "backend" }}
{{- $c := index $v $component }}
{{- /* HPA bounds */}}
{{- if and $c.autoscaling.enabled (gt (int $c.autoscaling.minReplicas) (int $c.autoscaling.maxReplicas)) }}
{{- fail (printf "%s.autoscaling.minReplicas (%d) must not exceed %s.autoscaling.maxReplicas (%d)" $component (int $c.autoscaling.minReplicas) $component (int $c.autoscaling.maxReplicas)) }}
{{- end }}
{{- /* A PDB that allows no voluntary disruption blocks every node drain. */}}
{{- if $c.pdb.enabled }}
{{- $floor := ternary $c.autoscaling.minReplicas $c.replicas $c.autoscaling.enabled | int }}
{{- $floorKey := ternary "autoscaling.minReplicas" "replicas" $c.autoscaling.enabled }}
{{- if ge (int $c.pdb.minAvailable) $floor }}
{{- fail (printf "%s.pdb.minAvailable (%d) must be lower than %s.%s (%d): a PodDisruptionBudget that allows no disruption blocks every node drain" $component (int $c.pdb.minAvailable) $component $floorKey $floor) }}
{{- end }}
{{- end }}
{{- /* minDomains is only valid with DoNotSchedule (the API server rejects it otherwise). */}}
{{- if and $c.topologySpread.zone.minDomains (ne $c.topologySpread.zone.whenUnsatisfiable "DoNotSchedule") }}
{{- fail (printf "%s.topologySpread.zone.minDomains (%d) needs %s.topologySpread.zone.whenUnsatisfiable DoNotSchedule" $component (int $c.topologySpread.zone.minDomains) $component) }}
{{- end }}
{{- /* Graceful shutdown: the grace period must outlast the preStop sleep. */}}
{{- if le (int $c.terminationGracePeriodSeconds) (int $c.preStopSleepSeconds) }}
{{- fail (printf "%s.terminationGracePeriodSeconds (%d) must be greater than %s.preStopSleepSeconds (%d), or the kubelet kills the container before it drains" $component (int $c.terminationGracePeriodSeconds) $component (int $c.preStopSleepSeconds)) }}
{{- end }}
{{- end }}
{{- /* Database credentials: exactly one source. */}}
{{- $creds := $v.database.credentials }}
{{- if eq $creds.externalSecret.enabled $creds.plain.enabled }}
{{- fail "exactly one of database.credentials.externalSecret.enabled and database.credentials.plain.enabled must be true" }}
{{- end }}
{{- if $creds.externalSecret.enabled }}
{{- if not $creds.externalSecret.secretArn }}
{{- fail "database.credentials.externalSecret.secretArn is required when database.credentials.externalSecret.enabled is true" }}
{{- end }}
{{- if not $v.externalSecrets.roleArn }}
{{- fail "externalSecrets.roleArn is required when database.credentials.externalSecret.enabled is true" }}
{{- end }}
{{- end }}
{{- if and $creds.plain.enabled (or (not $creds.plain.username) (not $creds.plain.password)) }}
{{- fail "database.credentials.plain.username and database.credentials.plain.password are required when database.credentials.plain.enabled is true" }}
{{- end }}
{{- /* extraConfig must not shadow the settings the chart manages. */}}
{{- range $key := list "DB_HOST" "DB_READ_HOST" "DB_PORT" "DB_NAME" "DB_SSLMODE" "DB_USERNAME" "DB_PASSWORD" "HTTP_PORT" }}
{{- if hasKey $v.backend.extraConfig $key }}
{{- fail (printf "backend.extraConfig.%s is managed by the chart; set it through the database/backend values instead" $key) }}
{{- end }}
{{- end }}
{{- /* Traffic: TargetGroupBindings (Terraform-owned ALB) or an Ingress, not both. */}}
{{- if and $v.ingress.enabled (or $v.frontend.targetGroupArn $v.frontend.apiTargetGroupArn) }}
{{- fail "ingress.enabled must be false when frontend.targetGroupArn or frontend.apiTargetGroupArn is set: the Terraform-owned ALB already routes to the TargetGroupBindings" }}
{{- end }}
{{- end }}
