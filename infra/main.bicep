// UpdateFunctions in one resource group: Function App (Flex Consumption), Storage, Event Hubs, Front Door,
// Log Analytics + Application Insights, and role assignments for managed identities. No shared keys anywhere.
//
// Resource-group scope: `az deployment group create` deploys it as is, azd deploys it into the group named by
// AZURE_RESOURCE_GROUP, and the deployer needs rights on one group rather than the subscription (docs/deploy.md).
targetScope = 'resourceGroup'

@description('Required. Name of the environment (azd environment name); part of every resource name and tagged as azd-env-name.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Optional. Azure region of the regional resources; the region must offer Flex Consumption. Front Door is global.')
param location string = resourceGroup().location

@description('Optional. Tags added to every resource.')
param tags object = {}

@description('Optional. Memory of each Function App instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Most instances the Function App scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Optional. Always-ready instances for the HTTP functions; 0 scales to zero (cold starts, no idle cost).')
@minValue(0)
@maxValue(20)
param httpAlwaysReadyInstanceCount int = 0

@description('Optional. Partitions of the telemetry event hub (the aggregator\'s parallelism); cannot shrink later.')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 4

@description('Optional. Hours telemetry events stay in the event hub.')
@minValue(1)
@maxValue(168)
param eventHubRetentionInHours int = 24

@description('Optional. How Front Door reads the private bundles container. FrontDoorIdentity: Front Door\'s managed identity, anonymous access stays off on the account (Front Door origin authentication, a preview feature). AnonymousBlobRead: anonymous read of single blobs in the bundles container, which are then also reachable on the blob endpoint without Front Door.')
@allowed([
  'FrontDoorIdentity'
  'AnonymousBlobRead'
])
param bundleAccess string = 'FrontDoorIdentity'

@description('Optional. Update answers carry short-lived read SAS URLs of the blob endpoint (user delegation SAS, signed with the Function App\'s identity) instead of Front Door URLs, so devices read the private bundles container directly and a leaked URL expires. Bundle downloads then bypass Front Door.')
param signedBundleUrls bool = false

@description('Optional. How long a signed bundle URL stays valid (Storage__SignedUrls__Lifetime, 00:02:00 to 1.00:00:00); devices always get one valid for at least half of it.')
param signedBundleUrlLifetime string = '00:15:00'

@description('Optional. Also route /api/* on the Front Door endpoint to the Function App, so devices use one host name.')
param routeApiThroughFrontDoor bool = false

@description('Optional. Origins of the release console (e.g. https://<front door host>) allowed to upload bundles straight to the blob service from a browser (a CORS rule: PUT and OPTIONS). Empty: no CORS rule, browser uploads are refused.')
param consoleOrigins array = []

@description('Optional. Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Optional. Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Optional. Daily ingestion cap of Log Analytics in GB; -1 for none.')
param logDailyQuotaGb int = -1

@description('Optional. NCRONTAB schedule of the rollout advancer (ROLLOUT_ADVANCE_SCHEDULE).')
param rolloutAdvanceSchedule string = '0 */5 * * * *'

@description('Optional. NCRONTAB schedule of the retention timer: metrics roll-up and audit retention (RETENTION_SCHEDULE).')
param retentionSchedule string = '0 30 3 * * *'

@description('Optional. NCRONTAB schedule of the timer that removes expired uploads (UPLOAD_CLEANUP_SCHEDULE).')
param uploadCleanupSchedule string = '0 */10 * * * *'

@description('Optional. Days of hourly metrics kept; older days are rolled up into one row per day (Retention__HourlyMetricsDays).')
@minValue(1)
@maxValue(3650)
param metricsHourlyRetentionDays int = 30

@description('Optional. Months of daily metrics kept (Retention__DailyMetricsMonths).')
@minValue(1)
@maxValue(1200)
param metricsDailyRetentionMonths int = 13

@description('Optional. Days of audit log kept; 0 keeps every entry (Retention__AuditDays).')
@minValue(0)
@maxValue(36500)
param auditRetentionDays int = 0

@description('Optional. How stale an in-memory app snapshot may be before a background refresh (Storage__SnapshotRefreshInterval).')
param snapshotRefreshInterval string = '00:00:10'

@description('Optional. Bootstrap key of the management API (Management__BootstrapKey); empty leaves the setting out. Never output.')
@secure()
param managementBootstrapKey string = ''

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })

// Fixed names the code and the CDN path rely on.
var bundlesContainerName = 'bundles'
var stagingContainerName = 'bundles-staging'
var eventHubName = 'telemetry'
var eventHubConsumerGroup = 'aggregator'
var tableNames = [
  'apps'
  'channels'
  'bundles'
  'devices'
  'segments'
  'rollouts'
  'metrics'
  'metricsdaily'
  'apikeys'
  'audit'
]

var functionAppName = 'func-${resourceToken}'
var storageAccountName = 'st${resourceToken}'
var eventHubsNamespaceName = 'evhns-${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    dailyQuotaGb: logDailyQuotaGb
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: allTags
    skuName: storageSkuName
    bundlesContainerName: bundlesContainerName
    stagingContainerName: stagingContainerName
    deploymentContainerName: deploymentContainerName
    tableNames: tableNames
    allowAnonymousBundleRead: bundleAccess == 'AnonymousBlobRead'
    corsUploadOrigins: consoleOrigins
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  params: {
    name: eventHubsNamespaceName
    location: location
    tags: allTags
    eventHubName: eventHubName
    partitionCount: eventHubPartitionCount
    retentionInHours: eventHubRetentionInHours
    consumerGroupName: eventHubConsumerGroup
  }
}

module functions 'modules/functions.bicep' = {
  name: 'functions'
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: allTags
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpAlwaysReadyInstanceCount: httpAlwaysReadyInstanceCount
  }
}

module frontDoor 'modules/frontdoor.bicep' = {
  name: 'frontdoor'
  params: {
    profileName: 'afd-${resourceToken}'
    endpointName: 'cdn-${resourceToken}'
    tags: allTags
    blobHostName: storage.outputs.blobHostName
    bundlesContainerName: bundlesContainerName
    bundleAccess: bundleAccess
    routeApi: routeApiThroughFrontDoor
    functionAppHostName: functions.outputs.defaultHostName
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  dependsOn: [
    eventHubs
    monitoring
  ]
  params: {
    // System-assigned identities exist only once their resource is deployed, so What-If cannot predict the
    // assignment names guid(scope, principal, role); the assignments themselves are exact.
    #disable-next-line what-if-short-circuiting
    functionPrincipalId: functions.outputs.principalId
    grantFrontDoorBundleRead: bundleAccess == 'FrontDoorIdentity'
    #disable-next-line what-if-short-circuiting
    frontDoorPrincipalId: frontDoor.outputs.principalId
    storageAccountName: storageAccountName
    bundlesContainerName: bundlesContainerName
    eventHubsNamespaceName: eventHubsNamespaceName
    eventHubName: eventHubName
    applicationInsightsName: applicationInsightsName
  }
}

var cdnBaseUrl = 'https://${frontDoor.outputs.endpointHostName}'
var functionBaseUrl = 'https://${functions.outputs.defaultHostName}'

// Runs after the Function App: the bundle base URL comes from Front Door, which references the app's host name.
module appSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  params: {
    functionAppName: functionAppName
    storageAccountName: storageAccountName
    tableServiceUri: storage.outputs.tableServiceUri
    blobServiceUri: storage.outputs.blobServiceUri
    bundlesContainerName: bundlesContainerName
    stagingContainerName: stagingContainerName
    bundleBaseUrl: '${cdnBaseUrl}/${bundlesContainerName}'
    snapshotRefreshInterval: snapshotRefreshInterval
    signedUrlsEnabled: signedBundleUrls
    signedUrlLifetime: signedBundleUrlLifetime
    eventHubsFullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
    eventHubName: eventHubs.outputs.eventHubName
    eventHubConsumerGroup: eventHubs.outputs.consumerGroupName
    rolloutAdvanceSchedule: rolloutAdvanceSchedule
    retentionSchedule: retentionSchedule
    uploadCleanupSchedule: uploadCleanupSchedule
    metricsHourlyRetentionDays: metricsHourlyRetentionDays
    metricsDailyRetentionMonths: metricsDailyRetentionMonths
    auditRetentionDays: auditRetentionDays
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    managementBootstrapKey: managementBootstrapKey
  }
}

@description('Region of the regional resources.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group that holds everything.')
output AZURE_RESOURCE_GROUP string = resourceGroup().name

@description('Name of the Function App.')
output AZURE_FUNCTION_APP_NAME string = functions.outputs.name

@description('Base URL of the Function App, e.g. https://func-xyz.azurewebsites.net.')
output FUNCTION_BASE_URL string = functionBaseUrl

@description('Base URL devices call: the Front Door endpoint when /api/* is routed through it, else the Function App.')
output DEVICE_API_BASE_URL string = routeApiThroughFrontDoor ? '${cdnBaseUrl}/api' : '${functionBaseUrl}/api'

@description('Front Door endpoint, e.g. https://cdn-xyz-hash.z01.azurefd.net.')
output CDN_ENDPOINT_URL string = cdnBaseUrl

@description('Base URL of the bundle zips on the CDN (Storage__BundleBaseUrl).')
output BUNDLE_BASE_URL string = '${cdnBaseUrl}/${bundlesContainerName}'

@description('Name of the storage account (the CLI uploads bundles there).')
output STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Blob service URI of the storage account.')
output STORAGE_BLOB_SERVICE_URI string = storage.outputs.blobServiceUri

@description('Table service URI of the storage account.')
output STORAGE_TABLE_SERVICE_URI string = storage.outputs.tableServiceUri

@description('Name of the Event Hubs namespace.')
output EVENT_HUBS_NAMESPACE string = eventHubs.outputs.name

@description('Fully qualified Event Hubs namespace (EventHubs__fullyQualifiedNamespace).')
output EVENT_HUBS_FULLY_QUALIFIED_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace

@description('Name of the Application Insights component.')
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
