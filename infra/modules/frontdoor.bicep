// Azure Front Door Standard: the CDN in front of the bundles container, and optionally the device API.
//
// Bundles are immutable and content-addressed (bundles/{app}/{sha256}.zip, Cache-Control: public, max-age=31536000,
// immutable), so the bundles route caches and honours the origin's Cache-Control. How Front Door reads the private
// container depends on bundleAccess (docs/deploy.md):
//   FrontDoorIdentity  - Front Door signs origin requests with its system-assigned identity (Storage Blob Data Reader
//                        on the bundles container only); the account keeps anonymous access off.
//   AnonymousBlobRead  - Front Door fetches anonymously; the bundles container allows anonymous read of single blobs.

@description('Required. Name of the Front Door profile.')
param profileName string

@description('Required. Name of the endpoint; Front Door appends a hash to form its host name.')
param endpointName string

@description('Optional. Tags applied to the profile.')
param tags object = {}

@description('Required. Host name of the storage account\'s blob endpoint, e.g. account.blob.core.windows.net.')
param blobHostName string

@description('Required. Container of the bundle zips; the route path /{name}/* maps 1:1 onto it.')
param bundlesContainerName string

@description('Optional. How Front Door authenticates to the bundles container.')
@allowed([
  'FrontDoorIdentity'
  'AnonymousBlobRead'
])
param bundleAccess string = 'FrontDoorIdentity'

@description('Optional. Storage service version Front Door sends with identity-signed origin requests (Blob Storage requires x-ms-version with a bearer token).')
param storageServiceVersion string = '2024-11-04'

@description('Optional. Route /api/* on the endpoint to the Function App, uncached.')
param routeApi bool = false

@description('Required. Default host name of the Function App (origin of the /api/* route).')
param functionAppHostName string

var useIdentity = bundleAccess == 'FrontDoorIdentity'

resource profile 'Microsoft.Cdn/profiles@2025-06-01' = {
  name: profileName
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  identity: {
    type: useIdentity ? 'SystemAssigned' : 'None'
  }
  properties: {
    originResponseTimeoutSeconds: 60
  }
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-06-01' = {
  parent: profile
  name: endpointName
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

resource bundlesOriginGroup 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = {
  parent: profile
  name: 'bundles'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    // Origin authentication requires an HTTPS probe; one origin, so probe rarely.
    healthProbeSettings: {
      probePath: '/'
      probeRequestType: 'HEAD'
      probeProtocol: 'Https'
      probeIntervalInSeconds: 240
    }
    authentication: useIdentity
      ? {
          type: 'SystemAssignedIdentity'
          scope: 'https://storage.azure.com/.default'
        }
      : null
    sessionAffinityState: 'Disabled'
  }
}

resource bundlesOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = {
  parent: bundlesOriginGroup
  name: 'blob'
  properties: {
    hostName: blobHostName
    originHostHeader: blobHostName
    httpPort: 80
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

// Requests signed with a bearer token must name a storage service version; anonymous ones need not.
resource bundlesRuleSet 'Microsoft.Cdn/profiles/ruleSets@2025-06-01' = if (useIdentity) {
  parent: profile
  name: 'bundles'
}

resource storageVersionRule 'Microsoft.Cdn/profiles/ruleSets/rules@2025-06-01' = if (useIdentity) {
  parent: bundlesRuleSet
  name: 'storageServiceVersion'
  properties: {
    order: 1
    conditions: []
    actions: [
      {
        name: 'ModifyRequestHeader'
        parameters: {
          typeName: 'DeliveryRuleHeaderActionParameters'
          headerAction: 'Overwrite'
          headerName: 'x-ms-version'
          value: storageServiceVersion
        }
      }
    ]
    matchProcessingBehavior: 'Continue'
  }
}

resource bundlesRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = {
  parent: endpoint
  name: 'bundles'
  dependsOn: [
    bundlesOrigin
    storageVersionRule
  ]
  properties: {
    originGroup: {
      id: bundlesOriginGroup.id
    }
    ruleSets: useIdentity
      ? [
          {
            id: bundlesRuleSet.id
          }
        ]
      : []
    supportedProtocols: [
      'Http'
      'Https'
    ]
    patternsToMatch: [
      '/${bundlesContainerName}/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
    httpsRedirect: 'Enabled'
    enabledState: 'Enabled'
    // Caching on: Front Door honours the blobs' Cache-Control (immutable, one year). The key ignores query strings,
    // so cache-busting parameters cannot multiply origin reads. Zips are already compressed.
    cacheConfiguration: {
      queryStringCachingBehavior: 'IgnoreQueryString'
      compressionSettings: {
        isCompressionEnabled: false
        contentTypesToCompress: []
      }
    }
  }
}

resource apiOriginGroup 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = if (routeApi) {
  parent: profile
  name: 'api'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    sessionAffinityState: 'Disabled'
  }
}

resource apiOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = if (routeApi) {
  parent: apiOriginGroup
  name: 'functions'
  properties: {
    hostName: functionAppHostName
    originHostHeader: functionAppHostName
    httpPort: 80
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

// Device API through the same host name: no caching (every answer depends on the device), HTTPS to the origin.
resource apiRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = if (routeApi) {
  parent: endpoint
  name: 'api'
  dependsOn: [
    apiOrigin
  ]
  properties: {
    originGroup: {
      id: apiOriginGroup.id
    }
    supportedProtocols: [
      'Http'
      'Https'
    ]
    patternsToMatch: [
      '/api/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
    httpsRedirect: 'Enabled'
    enabledState: 'Enabled'
  }
}

@description('Host name of the Front Door endpoint, e.g. name-hash.z01.azurefd.net.')
output endpointHostName string = endpoint.properties.hostName

@description('Object ID of the profile\'s system-assigned identity; empty unless bundleAccess is FrontDoorIdentity.')
output principalId string = useIdentity ? profile.identity.principalId : ''

@description('Front Door ID the origin can check in the X-Azure-FDID header.')
output frontDoorId string = profile.properties.frontDoorId
