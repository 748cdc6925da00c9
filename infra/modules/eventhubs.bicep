// Telemetry transport: an Event Hubs namespace with local (SAS key) authentication disabled, one hub for the
// device stats and one consumer group for the aggregator function. Publishers and the trigger use managed identity.

@description('Required. Name of the Event Hubs namespace (6-50 characters, starts with a letter).')
@minLength(6)
@maxLength(50)
param name string

@description('Required. Azure region of the namespace.')
param location string

@description('Optional. Tags applied to the namespace.')
param tags object = {}

@description('Optional. Throughput units of the Standard namespace (1 MB/s or 1000 events/s of ingress each).')
@minValue(1)
@maxValue(40)
param capacity int = 1

@description('Required. Name of the event hub the stats function publishes to.')
param eventHubName string

@description('Optional. Partitions of the event hub: the ceiling of parallel aggregator instances. Fixed once created on the Standard tier.')
@minValue(1)
@maxValue(32)
param partitionCount int = 4

@description('Optional. Hours an event is kept for the aggregator to catch up.')
@minValue(1)
@maxValue(168)
param retentionInHours int = 24

@description('Required. Consumer group of the aggregator function.')
param consumerGroupName string

resource namespace 'Microsoft.EventHub/namespaces@2026-01-01' = {
  name: name
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

  resource hub 'eventhubs' = {
    name: eventHubName
    properties: {
      partitionCount: partitionCount
      retentionDescription: {
        cleanupPolicy: 'Delete'
        retentionTimeInHours: retentionInHours
      }
    }

    resource consumerGroup 'consumergroups' = {
      name: consumerGroupName
    }
  }
}

@description('Name of the namespace.')
output name string = namespace.name

@description('Fully qualified namespace, e.g. name.servicebus.windows.net (the identity-based connection of the app).')
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]

@description('Name of the event hub.')
output eventHubName string = namespace::hub.name

@description('Name of the consumer group.')
output consumerGroupName string = namespace::hub::consumerGroup.name
