// Telemetry transport: POST /stats publishes to the hub (partition key = device id); the aggregator function
// reads it with its own consumer group. Local (SAS key) auth is off: sender and receiver use Entra ID.

@description('Required. Azure region of the namespace.')
param location string

@description('Required. Name of the Event Hubs namespace.')
param namespaceName string

@description('Optional. Name of the event hub that carries device telemetry.')
param eventHubName string = 'telemetry'

@description('Optional. Consumer group of the aggregator function.')
param consumerGroupName string = 'aggregator'

@description('Optional. Partitions of the hub: the upper bound of aggregator parallelism. Fixed after creation on Standard.')
@minValue(1)
@maxValue(32)
param partitionCount int = 4

@description('Optional. Throughput units of the Standard namespace (1 TU = 1 MB/s or 1000 events/s in).')
@minValue(1)
@maxValue(40)
param capacity int = 1

@description('Optional. Days events are retained (1-7 on Standard).')
@minValue(1)
@maxValue(7)
param retentionInDays int = 1

@description('Optional. Tags applied to every resource.')
param tags object = {}

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: capacity
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    isAutoInflateEnabled: false
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2026-01-01' = {
  parent: namespace
  name: eventHubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: retentionInDays
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2026-01-01' = {
  parent: hub
  name: consumerGroupName
}

@description('Name of the namespace.')
output namespaceName string = namespace.name

@description('Fully qualified namespace, e.g. {namespace}.servicebus.windows.net (no scheme, no port).')
output fullyQualifiedNamespace string = replace(split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0], '/', '')

@description('Name of the event hub.')
output eventHubName string = hub.name

@description('Name of the consumer group.')
output consumerGroupName string = consumerGroup.name
