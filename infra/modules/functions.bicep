// The function app on Flex Consumption (FC1): .NET 10 isolated worker, system-assigned identity, deployment
// package pulled from a blob container with that identity. App settings are written by appsettings.bicep once
// the Front Door host name (the bundle base URL) is known.

@description('Required. Azure region of the plan and the app.')
param location string

@description('Required. Name of the Flex Consumption plan.')
param planName string

@description('Required. Globally unique name of the function app.')
param appName string

@description('Required. URL of the blob container Flex Consumption deploys the package from.')
param deploymentContainerUrl string

@description('Optional. Memory of each instance in MB (CPU scales with it).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Upper bound of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Optional. Always-ready instances of the HTTP trigger group; 0 keeps the app scaling to zero (cold starts possible), more costs a baseline fee per instance.')
@minValue(0)
@maxValue(1000)
param alwaysReadyHttpInstanceCount int = 0

@description('Optional. Tags applied to the plan.')
param tags object = {}

@description('Optional. Tags applied to the app (azd finds the service by azd-service-name).')
param appTags object = {}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: appTags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyHttpInstanceCount > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyHttpInstanceCount
              }
            ]
          : []
      }
    }
  }
}

// No basic-auth (publishing profile) deployments: azd and `az functionapp deployment` use Entra ID.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the function app.')
output name string = app.name

@description('Default host name of the function app.')
output defaultHostName string = app.properties.defaultHostName

@description('Object id of the app\'s system-assigned identity.')
output principalId string = app.identity.principalId
