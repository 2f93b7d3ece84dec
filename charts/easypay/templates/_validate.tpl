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
{{- /* The backend reaches the database with IAM auth tokens, which need an IAM role. */}}
{{- if not (hasKey ($v.backend.serviceAccount.annotations | default dict) "eks.amazonaws.com/role-arn") }}
{{- fail "backend.serviceAccount.annotations must set eks.amazonaws.com/role-arn: the backend signs its database auth tokens with that IAM role (there is no database password)" }}
{{- end }}
{{- /* extraConfig is a plain ConfigMap: no credential belongs there. */}}
{{- range $key, $_ := $v.backend.extraConfig }}
{{- if regexMatch "(?i)pass(word)?|pwd|secret|token|credential" $key }}
{{- fail (printf "backend.extraConfig.%s looks like a credential: extraConfig is a plain ConfigMap, and the backend has no database password (it signs IAM auth tokens); keep third-party secrets in Secrets Manager under externalSecrets.clusterSecretStore.secretNamePrefix" $key) }}
{{- end }}
{{- end }}
{{- /* extraConfig must not shadow the settings the chart manages. */}}
{{- range $key := list "DB_HOST" "DB_READ_HOST" "DB_PORT" "DB_NAME" "DB_USER" "DB_AUTH" "DB_REGION" "DB_IAM_TOKEN_LIFETIME_SECONDS" "DB_SSLMODE" "DB_USERNAME" "DB_PASSWORD" "CACHE_HOST" "CACHE_READ_HOST" "CACHE_PORT" "CACHE_TLS" "CACHE_AUTH" "CACHE_USER" "CACHE_REPLICATION_GROUP_ID" "CACHE_IAM_TOKEN_LIFETIME_SECONDS" "CACHE_MAX_CONNECTION_AGE_SECONDS" "HTTP_PORT" }}
{{- if hasKey $v.backend.extraConfig $key }}
{{- fail (printf "backend.extraConfig.%s is managed by the chart; set it through the database/cache/backend values instead" $key) }}
{{- end }}
{{- end }}
{{- /* Traffic: TargetGroupBindings (Terraform-owned ALB) or an Ingress, not both. */}}
{{- if and $v.ingress.enabled (or $v.frontend.targetGroupArn $v.frontend.apiTargetGroupArn) }}
{{- fail "ingress.enabled must be false when frontend.targetGroupArn or frontend.apiTargetGroupArn is set: the Terraform-owned ALB already routes to the TargetGroupBindings" }}
{{- end }}
{{- end }}
