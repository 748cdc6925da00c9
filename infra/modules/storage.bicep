// Storage account of the pipeline: app data in tables, bundle zips in a container served through Front Door,
// the Functions host's own blobs and queues, and the Flex Consumption deployment package. No shared keys:
// every caller authenticates with Microsoft Entra ID (managed identities and role assignments in rbac.bicep).

@description('Required. Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Required. Azure region of the storage account.')
param location string

@description('Optional. Tags applied to the storage account.')
param tags object = {}

@description('Optional. Replication of the account: Standard_LRS is cheapest; Standard_ZRS survives a zone outage.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string = 'Standard_LRS'

@description('Required. Container of the content-addressed bundle zips; Front Door serves it under the same path.')
param bundlesContainerName string

@description('Required. Private container of bundle uploads in progress: never anonymous-readable, never behind Front Door.')
param stagingContainerName string

@description('Optional. Days after which blobs left in the staging container (and legacy ones under staging/ in the bundles container) are deleted.')
@minValue(1)
@maxValue(30)
param stagingBlobLifetimeDays int = 1

@description('Required. Container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Required. Tables created up front (the app also creates them on first use).')
param tableNames string[]

@description('Optional. Allow anonymous read of single blobs in the bundles container. Only for the AnonymousBlobRead bundle access mode; every other container stays private either way.')
param allowAnonymousBundleRead bool = false

@description('Optional. Browser origins allowed to PUT blobs with an upload SAS (the release console); empty for none.')
param corsUploadOrigins array = []

@description('Optional. Days a deleted blob or container can be restored.')
@minValue(1)
@maxValue(365)
param deleteRetentionDays int = 7

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
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
    allowBlobPublicAccess: allowAnonymousBundleRead
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      cors: {
        corsRules: empty(corsUploadOrigins) ? [] : [
          {
            allowedOrigins: corsUploadOrigins
            allowedMethods: [ 'PUT', 'OPTIONS' ]
            allowedHeaders: [ '*' ]
            exposedHeaders: [ 'x-ms-*' ]
            maxAgeInSeconds: 3600
          }
        ]
      }
      deleteRetentionPolicy: {
        enabled: true
        days: deleteRetentionDays
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: deleteRetentionDays
      }
    }

    resource bundles 'containers' = {
      name: bundlesContainerName
      properties: {
        publicAccess: allowAnonymousBundleRead ? 'Blob' : 'None'
      }
    }

    resource staging 'containers' = {
      name: stagingContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    resource deployment 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  // Uploads that were never committed: the app's cleanup timer deletes them when their window ends; this rule
  // catches whatever it missed (a failed run, an upload announced before the staging container existed).
  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'delete-stale-staging-uploads'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: [
                  'blockBlob'
                ]
                prefixMatch: [
                  '${stagingContainerName}/'
                  '${bundlesContainerName}/staging/'
                ]
              }
              actions: {
                baseBlob: {
                  delete: {
                    daysAfterModificationGreaterThan: stagingBlobLifetimeDays
                  }
                }
              }
            }
          }
        ]
      }
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource table 'tables' = [
      for tableName in tableNames: {
        name: tableName
      }
    ]
  }
}

@description('Name of the storage account.')
output name string = storage.name

@description('Resource ID of the storage account.')
output id string = storage.id

@description('Host name of the blob endpoint, e.g. account.blob.core.windows.net.')
output blobHostName string = '${storage.name}.blob.${environment().suffixes.storage}'

@description('Blob service URI without a trailing slash.')
output blobServiceUri string = 'https://${storage.name}.blob.${environment().suffixes.storage}'

@description('Table service URI without a trailing slash.')
output tableServiceUri string = 'https://${storage.name}.table.${environment().suffixes.storage}'

@description('URL of the deployment package container.')
output deploymentContainerUrl string = 'https://${storage.name}.blob.${environment().suffixes.storage}/${deploymentContainerName}'
