{{/*
Environment of one component, named exactly as the app's zod config schema reads it
(apps/<app>/src/<app>.config.ts, brokerEnvFields, the messaging library's Kafka security fields).
"trading.configData": the non-secret part, rendered into the component's ConfigMap.
"trading.secretEnv": the secret part, only as references to existing Secrets.
Call both with (dict "root" $ "c" $component).
*/}}

{{- define "trading.configData" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- $v := index $root.Values $c.key -}}
{{- $p := $c.prefix -}}
NODE_ENV: production
{{- with $v.nodeOptions }}
NODE_OPTIONS: {{ . | quote }}
{{- end }}
{{ $p }}_HTTP_PORT: {{ $v.containerPort | quote }}
{{ $p }}_LOG_LEVEL: {{ $v.logLevel | quote }}
{{ $p }}_KAFKA_BROKERS: {{ required "kafka.brokers needs at least one host:port" (join "," $root.Values.kafka.brokers) | quote }}
{{ $p }}_KAFKA_TOPIC_PREFIX: {{ $root.Values.kafka.topicPrefix | quote }}
{{- if $root.Values.kafka.tls.enabled }}
{{ $p }}_KAFKA_SSL: "true"
{{- if $root.Values.kafka.tls.caSecret.name }}
NODE_EXTRA_CA_CERTS: /etc/tlp/kafka-ca/{{ $root.Values.kafka.tls.caSecret.key }}
{{- end }}
{{- end }}
{{- if $root.Values.kafka.sasl.enabled }}
{{ $p }}_KAFKA_SASL_MECHANISM: {{ $root.Values.kafka.sasl.mechanism | quote }}
{{- end }}
{{- if $c.broker }}
{{ $p }}_BROKER_BASE_URL: {{ $root.Values.broker.baseUrl | quote }}
{{ $p }}_BROKER_DATA_URL: {{ $root.Values.broker.dataUrl | quote }}
{{ $p }}_BROKER_STREAM_URL: {{ $root.Values.broker.streamUrl | quote }}
{{ $p }}_BROKER_TIMEOUT: {{ $root.Values.broker.timeout | quote }}
{{- end }}
{{- with $v.auth.issuer }}
{{ $p }}_AUTH_JWT_ISSUER: {{ . | quote }}
{{- end }}
{{- with $v.auth.audience }}
{{ $p }}_AUTH_JWT_AUDIENCE: {{ . | quote }}
{{- end }}
{{- range $k, $val := $v.config }}
{{- if not (kindIs "invalid" $val) }}
{{ printf "%s_%s" $p (snakecase $k | upper) }}: {{ ternary (join "," $val) (toString $val) (kindIs "slice" $val) | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "trading.secretEnv" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- $v := index $root.Values $c.key -}}
{{- $p := $c.prefix -}}
- name: {{ $p }}_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "trading.databaseSecretName" . }}
      key: {{ $v.database.urlKey }}
{{- if $c.broker }}
- name: {{ $p }}_BROKER_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ include "trading.brokerSecretName" . }}
      key: {{ $root.Values.broker.keyIdKey }}
- name: {{ $p }}_BROKER_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "trading.brokerSecretName" . }}
      key: {{ $root.Values.broker.secretKeyKey }}
{{- end }}
{{- if $v.auth.existingSecret }}
{{- with $v.auth.jwtSecretKey }}
- name: {{ $p }}_AUTH_JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $v.auth.existingSecret }}
      key: {{ . }}
{{- end }}
{{- with $v.auth.jwtPublicKeyKey }}
- name: {{ $p }}_AUTH_JWT_PUBLIC_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.auth.existingSecret }}
      key: {{ . }}
{{- end }}
{{- end }}
{{- if $root.Values.kafka.sasl.enabled }}
- name: {{ $p }}_KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required when kafka.sasl.enabled" $root.Values.kafka.sasl.existingSecret }}
      key: {{ $root.Values.kafka.sasl.usernameKey }}
- name: {{ $p }}_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.kafka.sasl.existingSecret }}
      key: {{ $root.Values.kafka.sasl.passwordKey }}
{{- end }}
{{- end -}}

{{/* Volumes for /tmp and the optional CA bundles; mounts to match. */}}
{{- define "trading.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .root.Values.tmpVolumeSizeLimit }}
{{- with .root.Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ . }}
{{- end }}
{{- with .root.Values.postgresql.tls.caSecret.name }}
- name: postgres-ca
  secret:
    secretName: {{ . }}
{{- end }}
{{- end -}}

{{- define "trading.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .root.Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/tlp/kafka-ca
  readOnly: true
{{- end }}
{{- if .root.Values.postgresql.tls.caSecret.name }}
- name: postgres-ca
  mountPath: /etc/tlp/postgres-ca
  readOnly: true
{{- end }}
{{- end -}}
