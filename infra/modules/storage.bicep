// The storage account of the pipeline: Table Storage (apps, channels, bundles, metrics, ...), the immutable,
// content-addressed `bundles` container the CDN serves, the Flex Consumption deployment-package container, and
// the Functions host's own blobs and queues. No shared keys: every client uses Microsoft Entra ID.

@description('Required. Azure region of the account.')
param location string

@description('Required. Globally unique storage account name (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Optional. Redundancy of the account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_LRS'

@description('Optional. Name of the container that holds bundles as {appId}/{sha256}.zip.')
param bundlesContainerName string = 'bundles'

@description('Required. Name of the container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Optional. Allow anonymous read of single blobs in the bundles container (never listing), so the Front Door origin can fetch them without a signed URL. Off by default: the account then allows no anonymous access at all.')
param bundlesPublicRead bool = false

@description('Optional. Days a deleted or overwritten blob stays recoverable.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 7

@description('Optional. Tags applied to every resource.')
param tags object = {}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: bundlesPublicRead
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Front Door Standard reaches the origin over the public endpoint (Private Link origins need Premium).
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: blobSoftDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: blobSoftDeleteDays
    }
  }
}

resource bundlesContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: bundlesContainerName
  properties: {
    publicAccess: bundlesPublicRead ? 'Blob' : 'None'
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

@description('Name of the storage account.')
output name string = storage.name

@description('Blob service URI without a trailing slash, e.g. https://{account}.blob.core.windows.net.')
output blobServiceUri string = 'https://${storage.name}.blob.${environment().suffixes.storage}'

@description('Table service URI without a trailing slash, e.g. https://{account}.table.core.windows.net.')
output tableServiceUri string = 'https://${storage.name}.table.${environment().suffixes.storage}'

@description('Host name of the blob endpoint (the Front Door origin).')
output blobHostName string = '${storage.name}.blob.${environment().suffixes.storage}'

@description('URL of the deployment-package container.')
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'

@description('Name of the bundles container.')
output bundlesContainerName string = bundlesContainer.name

@description('Whether the bundles container is set up for anonymous single-blob reads.')
output bundlesPublicRead bool = bundlesPublicRead
