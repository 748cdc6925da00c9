// The Function App on a Flex Consumption (FC1) plan: .NET 10 isolated worker, system-assigned identity,
// HTTPS only, TLS 1.2, no FTP and no basic-auth publishing. The package is deployed to a blob container that the
// app reads with its own identity. App settings are written by appsettings.bicep, after Front Door exists.

@description('Required. Name of the Function App (also the first label of its default host name).')
param name string

@description('Required. Name of the Flex Consumption plan.')
param planName string

@description('Required. Azure region of the plan and the app.')
param location string

@description('Optional. Tags applied to the plan and the app.')
param tags object = {}

@description('Required. URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Optional. Memory of each instance in MB; CPU and network scale with it.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Optional. Upper bound of instances the app scales out to (bounds cost and load on storage).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Optional. Instances kept warm for the HTTP functions (device API); 0 scales to zero and bills nothing at idle.')
@minValue(0)
@maxValue(20)
param httpAlwaysReadyInstanceCount int = 0

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  // azd finds the app to deploy service 'api' (azure.yaml) by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
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
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: httpAlwaysReadyInstanceCount > 0
          ? [
              {
                name: 'http'
                instanceCount: httpAlwaysReadyInstanceCount
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  // Deployments authenticate with Microsoft Entra ID (azd, az CLI); basic-auth publishing stays off.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

@description('Name of the Function App.')
output name string = functionApp.name

@description('Default host name of the Function App, e.g. name.azurewebsites.net.')
output defaultHostName string = functionApp.properties.defaultHostName

@description('Object ID of the app\'s system-assigned identity.')
output principalId string = functionApp.identity.principalId
