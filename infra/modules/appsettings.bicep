// App settings of the Function App: exactly the names the code reads (Section__Key), identity-based connections
// only. Written after Front Door so the bundle base URL can point at the CDN endpoint.

@description('Required. Name of the existing Function App.')
param functionAppName string

@description('Required. Name of the storage account (identity-based AzureWebJobsStorage).')
param storageAccountName string

@description('Required. Table service URI, e.g. https://account.table.core.windows.net.')
param tableServiceUri string

@description('Required. Blob service URI, e.g. https://account.blob.core.windows.net.')
param blobServiceUri string

@description('Required. Container of the bundle zips.')
param bundlesContainerName string

@description('Required. Private container of bundle uploads in progress.')
param stagingContainerName string

@description('Required. Base URL put in update answers: the Front Door endpoint and the bundles path.')
param bundleBaseUrl string

@description('Optional. How stale an in-memory app snapshot may be before a background refresh (TimeSpan).')
param snapshotRefreshInterval string = '00:00:10'

@description('Optional. Update answers carry short-lived read SAS URLs (user delegation SAS) instead of CDN URLs.')
param signedUrlsEnabled bool = false

@description('Optional. Lifetime of a signed download URL (TimeSpan, 00:02:00 to 1.00:00:00).')
param signedUrlLifetime string = '00:15:00'

@description('Required. Fully qualified Event Hubs namespace, e.g. name.servicebus.windows.net.')
param eventHubsFullyQualifiedNamespace string

@description('Required. Name of the telemetry event hub.')
param eventHubName string

@description('Required. Consumer group of the aggregator function.')
param eventHubConsumerGroup string

@description('Optional. NCRONTAB schedule of the rollout advancer timer.')
param rolloutAdvanceSchedule string = '0 */5 * * * *'

@description('Optional. NCRONTAB schedule of the retention timer (metrics roll-up, audit retention).')
param retentionSchedule string = '0 30 3 * * *'

@description('Optional. NCRONTAB schedule of the timer that removes expired uploads.')
param uploadCleanupSchedule string = '0 */10 * * * *'

@description('Optional. Days of hourly metrics kept before they are rolled up into daily rows.')
@minValue(1)
@maxValue(3650)
param metricsHourlyRetentionDays int = 30

@description('Optional. Months of daily metrics kept.')
@minValue(1)
@maxValue(1200)
param metricsDailyRetentionMonths int = 13

@description('Optional. Days of audit log kept; 0 keeps it for ever.')
@minValue(0)
@maxValue(36500)
param auditRetentionDays int = 0

@description('Required. Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Optional. Bootstrap key of the management API; empty leaves the setting out.')
@secure()
param managementBootstrapKey string = ''

var settings = {
  // Host storage through the managed identity: the host derives blob, queue and table URIs from the account name.
  AzureWebJobsStorage__accountName: storageAccountName
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  // Local auth is disabled on Application Insights: send telemetry with the system-assigned identity.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  Storage__TableServiceUri: tableServiceUri
  Storage__BlobServiceUri: blobServiceUri
  Storage__BundlesContainer: bundlesContainerName
  Storage__StagingContainer: stagingContainerName
  Storage__BundleBaseUrl: bundleBaseUrl
  Storage__SnapshotRefreshInterval: snapshotRefreshInterval
  // Signed with a user delegation key of the app's identity (Storage Blob Data Owner may get one); shared keys stay off.
  Storage__SignedUrls__Enabled: signedUrlsEnabled ? 'true' : 'false'
  Storage__SignedUrls__Lifetime: signedUrlLifetime
  // Also the identity-based connection "EventHubs" of the aggregator's EventHubTrigger.
  EventHubs__fullyQualifiedNamespace: eventHubsFullyQualifiedNamespace
  EventHubs__EventHubName: eventHubName
  EventHubs__ConsumerGroup: eventHubConsumerGroup
  Retention__HourlyMetricsDays: string(metricsHourlyRetentionDays)
  Retention__DailyMetricsMonths: string(metricsDailyRetentionMonths)
  Retention__AuditDays: string(auditRetentionDays)
  ROLLOUT_ADVANCE_SCHEDULE: rolloutAdvanceSchedule
  RETENTION_SCHEDULE: retentionSchedule
  UPLOAD_CLEANUP_SCHEDULE: uploadCleanupSchedule
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: empty(managementBootstrapKey)
    ? settings
    : union(settings, { Management__BootstrapKey: managementBootstrapKey })
}
