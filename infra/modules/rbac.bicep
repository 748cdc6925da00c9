// Role assignments instead of keys. The Function App's system-assigned identity gets data-plane roles on exactly
// the resources it uses; Front Door's identity (bundleAccess FrontDoorIdentity) may only read blobs in the bundles
// container, and not list them. Each assignment is named guid(scope, principal, role), so redeploying is idempotent.

@description('Required. Object ID of the Function App\'s system-assigned identity.')
param functionPrincipalId string

@description('Optional. Let Front Door\'s identity read the bundles container (bundleAccess FrontDoorIdentity).')
param grantFrontDoorBundleRead bool = false

@description('Optional. Object ID of Front Door\'s system-assigned identity; required when grantFrontDoorBundleRead is true.')
param frontDoorPrincipalId string = ''

@description('Required. Name of the storage account.')
param storageAccountName string

@description('Required. Name of the bundles container.')
param bundlesContainerName string

@description('Required. Name of the Event Hubs namespace.')
param eventHubsNamespaceName string

@description('Required. Name of the telemetry event hub.')
param eventHubName string

@description('Required. Name of the Application Insights component.')
param applicationInsightsName string

// Built-in role definition IDs (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
// Storage Blob Data Owner: bundles, catalog snapshots, user-delegation SAS for uploads, host blobs, deployment package,
// Event Hubs checkpoints.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Blob Data Reader: Front Door reads bundle zips.
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
// Storage Table Data Contributor: apps, channels, bundles, devices, rollouts, changes (the catalog's change log, which
// the compactor also trims), metrics, ... tables.
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Storage Queue Data Contributor: the Functions host's internal queues.
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Azure Event Hubs Data Sender: the stats function publishes telemetry.
var eventHubsDataSender = '2b629674-e913-4c01-ae53-ef4638d8f975'
// Azure Event Hubs Data Receiver: the aggregator's EventHubTrigger reads telemetry.
var eventHubsDataReceiver = 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
// Monitoring Metrics Publisher: telemetry to Application Insights with local auth disabled.
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

// Read blobs, but a List Blobs call through the CDN is refused: unreleased bundles are not discoverable.
var readWithoutListCondition = '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'} AND SubOperationMatches{\'Blob.List\'})))'

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource bundles 'containers' existing = {
      name: bundlesContainerName
    }
  }
}

resource eventHubsNamespace 'Microsoft.EventHub/namespaces@2026-01-01' existing = {
  name: eventHubsNamespaceName

  resource hub 'eventhubs' existing = {
    name: eventHubName
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var storageRoles = [
  storageBlobDataOwner
  storageTableDataContributor
  storageQueueDataContributor
]

resource functionStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, functionPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: functionPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

var eventHubRoles = [
  eventHubsDataSender
  eventHubsDataReceiver
]

resource functionEventHubRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in eventHubRoles: {
    name: guid(eventHubsNamespace::hub.id, functionPrincipalId, roleId)
    scope: eventHubsNamespace::hub
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: functionPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource functionMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource frontDoorBundleReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantFrontDoorBundleRead) {
  name: guid(storage::blobService::bundles.id, frontDoorPrincipalId, storageBlobDataReader)
  scope: storage::blobService::bundles
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
    principalId: frontDoorPrincipalId
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    condition: readWithoutListCondition
  }
}
