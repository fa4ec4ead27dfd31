{{/*
Names, labels and the fixed facts of each component. Every per-component template ranges over
"trading.components" so the four services get identical treatment.
*/}}

{{- define "trading.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "trading.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "trading.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fixed facts per component key: env prefix, app (image, consumer group) name, whether it talks to the broker. */}}
{{- define "trading.componentFacts" -}}
executor: {prefix: EXECUTOR, app: executor, broker: true}
orderMonitor: {prefix: ORDER_MONITOR, app: order-monitor, broker: true}
positionMonitor: {prefix: POSITION_MONITOR, app: position-monitor, broker: true}
dataQuality: {prefix: DATA_QUALITY, app: data-quality, broker: true}
{{- end -}}

{{/*
The enabled components as a list of dicts: key, prefix, app, broker, values, name (object name).
Usage: {{- range $c := (include "trading.components" . | fromYamlArray) }}
*/}}
{{- define "trading.components" -}}
{{- $root := . -}}
{{- $facts := include "trading.componentFacts" . | fromYaml -}}
{{- $out := list -}}
{{- range $key := list "executor" "orderMonitor" "positionMonitor" "dataQuality" -}}
{{- $values := index $root.Values $key -}}
{{- if $values.enabled -}}
{{- $f := index $facts $key -}}
{{- $name := printf "%s-%s" (include "trading.fullname" $root | trunc 45 | trimSuffix "-") $f.app -}}
{{- $out = append $out (dict "key" $key "prefix" $f.prefix "app" $f.app "broker" $f.broker "name" $name) -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* Labels common to every object. Call with the root context. */}}
{{- define "trading.labels" -}}
helm.sh/chart: {{ include "trading.chart" . }}
app.kubernetes.io/name: {{ include "trading.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: trading
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of one component's objects. Call with (dict "root" $ "c" $component). */}}
{{- define "trading.componentLabels" -}}
{{ include "trading.labels" .root }}
app.kubernetes.io/component: {{ .c.app }}
{{- end -}}

{{/* Immutable selector labels: name, instance, component only. */}}
{{- define "trading.selectorLabels" -}}
app.kubernetes.io/name: {{ include "trading.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .c.app }}
{{- end -}}

{{- define "trading.serviceAccountName" -}}
{{- $v := index .root.Values .c.key -}}
{{- if $v.serviceAccount.create -}}
{{- default .c.name $v.serviceAccount.name -}}
{{- else -}}
{{- default "default" $v.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* registry/repository:tag@digest; the tag defaults to the chart's appVersion. */}}
{{- define "trading.image" -}}
{{- $v := index .root.Values .c.key -}}
{{- $registry := default $v.image.registry .root.Values.global.imageRegistry -}}
{{- $repo := $v.image.repository -}}
{{- if $registry }}{{ $repo = printf "%s/%s" $registry $repo }}{{ end -}}
{{- if $v.image.digest -}}
{{- printf "%s@%s" $repo $v.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $v.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "trading.databaseSecretName" -}}
{{- $v := index .root.Values .c.key -}}
{{- default (printf "%s-database" .c.name) $v.database.existingSecret -}}
{{- end -}}

{{- define "trading.brokerSecretName" -}}
{{- default (printf "%s-broker" (include "trading.fullname" .root)) .root.Values.broker.existingSecret -}}
{{- end -}}

{{- define "trading.imagePullSecrets" -}}
{{- $secrets := concat (.root.Values.global.imagePullSecrets | default list) ((index .root.Values .c.key).image.pullSecrets | default list) -}}
{{- if $secrets }}
imagePullSecrets:
{{- range $secrets }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}
