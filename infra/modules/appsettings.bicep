// The function app's settings, written after the Front Door endpoint exists (the bundle base URL is its host
// name) and after the role assignments (so the host starts with its permissions). Names are exactly what the
// code binds; `__` separates configuration sections. No connection strings or keys: identities only.

@description('Required. Name of the function app.')
param functionAppName string

@description('Required. Name of the storage account (identity-based host storage).')
param storageAccountName string

@description('Required. Table service URI, https://{account}.table.core.windows.net.')
param tableServiceUri string

@description('Required. Blob service URI, https://{account}.blob.core.windows.net.')
param blobServiceUri string

@description('Optional. Name of the bundles container.')
param bundlesContainerName string = 'bundles'

@description('Required. Base URL of bundle downloads, https://{frontDoorEndpointHost}/bundles.')
param bundleBaseUrl string

@description('Required. Fully qualified Event Hubs namespace, {namespace}.servicebus.windows.net.')
param eventHubsFullyQualifiedNamespace string

@description('Required. Name of the telemetry event hub.')
param eventHubName string

@description('Required. Consumer group of the aggregator.')
param consumerGroupName string

@description('Required. Connection string of the Application Insights component (not a secret: local auth is off, ingestion needs the identity).')
param applicationInsightsConnectionString string

@description('Optional. CRON schedule (with seconds) of the rollout advancer timer.')
param rolloutAdvanceSchedule string = '0 */5 * * * *'

@description('Optional. Bootstrap key of the management API; the setting is written only when non-empty.')
@secure()
param managementBootstrapKey string = ''

resource app 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

var settings = {
  AzureWebJobsStorage__accountName: storageAccountName
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  // Local auth is off on the component: the SDK authenticates with the system-assigned identity.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  Storage__TableServiceUri: tableServiceUri
  Storage__BlobServiceUri: blobServiceUri
  Storage__BundlesContainer: bundlesContainerName
  Storage__BundleBaseUrl: bundleBaseUrl
  Storage__SnapshotRefreshInterval: '00:00:10'
  // Read by EventHubsOptions and, as the identity-based connection "EventHubs", by the EventHubTrigger.
  EventHubs__FullyQualifiedNamespace: eventHubsFullyQualifiedNamespace
  EventHubs__EventHubName: eventHubName
  EventHubs__ConsumerGroup: consumerGroupName
  ROLLOUT_ADVANCE_SCHEDULE: rolloutAdvanceSchedule
}

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: empty(managementBootstrapKey)
    ? settings
    : union(settings, { Management__BootstrapKey: managementBootstrapKey })
}
