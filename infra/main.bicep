// UpdateFunctions in one deployment: storage, Flex Consumption function app, Event Hubs, Front Door, monitoring
// and the function identity's role assignments. Subscription scope, as in the azd quickstarts: the deployment
// creates its own resource group (rg-{environmentName}), so `azd up` and `az deployment sub create` need no
// pre-existing group and `azd down` removes everything with the group.
targetScope = 'subscription'

@description('Required. Name of the environment (azd: AZURE_ENV_NAME); names the resource group and seeds resource names.')
@minLength(1)
@maxLength(48)
param environmentName string

@description('Required. Azure region of every regional resource (azd: AZURE_LOCATION). Must offer Flex Consumption.')
param location string

@description('Optional. Name of the resource group; defaults to rg-{environmentName}.')
param resourceGroupName string = ''

@description('Optional. Memory of each function instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Upper bound of function instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Optional. Always-ready instances of the HTTP group; 0 scales to zero at idle (no baseline cost, cold starts possible).')
@minValue(0)
@maxValue(1000)
param alwaysReadyHttpInstanceCount int = 0

@description('Optional. Partitions of the telemetry event hub (fixed after creation on Standard).')
@minValue(1)
@maxValue(32)
param eventHubPartitionCount int = 4

@description('Optional. Serve bundles to anonymous Front Door requests: allows anonymous single-blob reads (never listing) on the bundles container. Bundles are immutable and named by their SHA-256. Off by default: the account then allows no anonymous access, and downloads need signed URLs. See docs/deploy.md.')
param bundlesPublicRead bool = false

@description('Optional. Also route /api/* through Front Door to the function app, so devices use a single host name.')
param enableApiRoute bool = false

@description('Optional. Redundancy of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Optional. Bootstrap key of the management API (creates the first API key). Written as an app setting only when non-empty; never output.')
@secure()
param managementBootstrapKey string = ''

@description('Optional. Tags applied to every resource.')
param tags object = {}

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })
var deploymentContainerName = 'app-package-${resourceToken}'
// Names are known when the deployment starts (what-if can predict the modules that use them).
var storageAccountName = 'st${resourceToken}'
var functionAppName = 'func-${resourceToken}'
var eventHubsNamespaceName = 'evhns-${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: applicationInsightsName
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    name: storageAccountName
    skuName: storageSkuName
    bundlesContainerName: 'bundles'
    deploymentContainerName: deploymentContainerName
    bundlesPublicRead: bundlesPublicRead
    tags: allTags
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  scope: rg
  params: {
    location: location
    namespaceName: eventHubsNamespaceName
    eventHubName: 'telemetry'
    consumerGroupName: 'aggregator'
    partitionCount: eventHubPartitionCount
    tags: allTags
  }
}

module functions 'modules/functions.bicep' = {
  name: 'functions'
  scope: rg
  params: {
    location: location
    planName: 'plan-${resourceToken}'
    appName: functionAppName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstanceCount: alwaysReadyHttpInstanceCount
    tags: allTags
    appTags: union(allTags, { 'azd-service-name': 'api' })
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    // A system-assigned identity's object id exists only once the app does; the assignment names must contain
    // it (a recreated app gets a new identity and so new assignments), so what-if cannot predict them.
    #disable-next-line what-if-short-circuiting
    principalId: functions.outputs.principalId
    storageAccountName: storageAccountName
    eventHubsNamespaceName: eventHubsNamespaceName
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [
    eventHubs
    monitoring
  ]
}

module frontDoor 'modules/frontdoor.bicep' = {
  name: 'frontdoor'
  scope: rg
  params: {
    profileName: 'afd-${resourceToken}'
    endpointName: 'updates-${resourceToken}'
    blobHostName: storage.outputs.blobHostName
    bundlesContainerName: 'bundles'
    enableApiRoute: enableApiRoute
    functionAppHostName: functions.outputs.defaultHostName
    tags: allTags
  }
}

module appSettings 'modules/appsettings.bicep' = {
  name: 'appsettings'
  scope: rg
  params: {
    functionAppName: functionAppName
    storageAccountName: storageAccountName
    tableServiceUri: storage.outputs.tableServiceUri
    blobServiceUri: storage.outputs.blobServiceUri
    bundlesContainerName: storage.outputs.bundlesContainerName
    bundleBaseUrl: 'https://${frontDoor.outputs.endpointHostName}/bundles'
    eventHubsFullyQualifiedNamespace: eventHubs.outputs.fullyQualifiedNamespace
    eventHubName: eventHubs.outputs.eventHubName
    consumerGroupName: eventHubs.outputs.consumerGroupName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    rolloutAdvanceSchedule: '0 */5 * * * *'
    managementBootstrapKey: managementBootstrapKey
  }
  dependsOn: [
    rbac // the host should start with its data-plane roles in place
  ]
}

var functionBaseUrl = 'https://${functions.outputs.defaultHostName}/api'
var cdnEndpoint = 'https://${frontDoor.outputs.endpointHostName}'
var deviceApiBaseUrl = enableApiRoute ? '${cdnEndpoint}/api' : functionBaseUrl

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group that holds everything.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app.')
output AZURE_FUNCTION_APP_NAME string = functions.outputs.name

@description('Base URL of the function app\'s HTTP functions (device and management API).')
output FUNCTION_BASE_URL string = functionBaseUrl

@description('Base URL devices call: through Front Door when enableApiRoute, else the function app.')
output DEVICE_API_BASE_URL string = deviceApiBaseUrl

@description('Capgo plugin updateUrl.')
output CAPGO_UPDATE_URL string = '${deviceApiBaseUrl}/updates'

@description('Capgo plugin statsUrl.')
output CAPGO_STATS_URL string = '${deviceApiBaseUrl}/stats'

@description('Capgo plugin channelUrl.')
output CAPGO_CHANNEL_URL string = '${deviceApiBaseUrl}/channel_self'

@description('Front Door endpoint (the CDN).')
output CDN_ENDPOINT string = cdnEndpoint

@description('Base URL of bundle downloads (app setting Storage__BundleBaseUrl).')
output BUNDLE_BASE_URL string = '${cdnEndpoint}/bundles'

@description('Whether anonymous Front Door requests can read bundles (bundlesPublicRead).')
output BUNDLES_PUBLIC_READ bool = storage.outputs.bundlesPublicRead

@description('Name of the storage account.')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Blob service URI of the storage account.')
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobServiceUri

@description('Table service URI of the storage account.')
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableServiceUri

@description('Name of the Event Hubs namespace.')
output EVENT_HUBS_NAMESPACE string = eventHubs.outputs.namespaceName

@description('Fully qualified Event Hubs namespace.')
output EVENT_HUBS_FULLY_QUALIFIED_NAMESPACE string = eventHubs.outputs.fullyQualifiedNamespace

@description('Name of the telemetry event hub.')
output EVENT_HUB_NAME string = eventHubs.outputs.eventHubName
