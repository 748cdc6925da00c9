// Azure Front Door Standard: the CDN devices download bundles from, <endpoint>/bundles/{appId}/{sha256}.zip,
// mapped 1:1 onto the blob path of the `bundles` container. Optionally a second route sends /api/* to the
// function app so devices use one host name. See docs/deploy.md for how the private-by-default blob origin
// is reached (anonymous single-blob read when bundlesPublicRead, otherwise signed URLs).

@description('Required. Name of the Front Door profile.')
param profileName string

@description('Required. Name of the endpoint (Front Door appends a hash to form the host name).')
param endpointName string

@description('Required. Host name of the storage account\'s blob endpoint.')
param blobHostName string

@description('Optional. Name of the blob container served under /bundles; must be `bundles` so the URL path equals the blob path.')
@allowed([
  'bundles'
])
param bundlesContainerName string = 'bundles'

@description('Optional. Also route /api/* (the device API) through Front Door to the function app.')
param enableApiRoute bool = false

@description('Optional. Default host name of the function app; required when enableApiRoute is true.')
param functionAppHostName string = ''

@description('Optional. Tags applied to the profile.')
param tags object = {}

resource profile 'Microsoft.Cdn/profiles@2025-04-15' = {
  name: profileName
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    originResponseTimeoutSeconds: 60
  }
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-04-15' = {
  parent: profile
  name: endpointName
  location: 'global'
  properties: {
    enabledState: 'Enabled'
  }
}

// One origin per group: health probes would only add origin traffic, so none are configured.
resource bundlesOriginGroup 'Microsoft.Cdn/profiles/originGroups@2025-04-15' = {
  parent: profile
  name: 'bundles'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    sessionAffinityState: 'Disabled'
  }
}

resource bundlesOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2025-04-15' = {
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

// Bundles are immutable and content-addressed; the blobs carry Cache-Control: public, max-age=31536000,
// immutable, which Front Door honours (no rule set overrides it). The query string is not part of the cache
// key, so signed-URL parameters do not split the cache. Zips are already compressed.
resource bundlesRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-04-15' = {
  parent: endpoint
  name: bundlesContainerName
  properties: {
    originGroup: {
      id: bundlesOriginGroup.id
    }
    patternsToMatch: [
      '/${bundlesContainerName}/*'
    ]
    supportedProtocols: [
      'Http'
      'Https'
    ]
    httpsRedirect: 'Enabled'
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
    enabledState: 'Enabled'
    cacheConfiguration: {
      queryStringCachingBehavior: 'IgnoreQueryString'
      compressionSettings: {
        isCompressionEnabled: false
        contentTypesToCompress: []
      }
    }
  }
  dependsOn: [
    bundlesOrigin // a route needs an origin in its group
  ]
}

resource apiOriginGroup 'Microsoft.Cdn/profiles/originGroups@2025-04-15' = if (enableApiRoute) {
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

resource apiOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2025-04-15' = if (enableApiRoute) {
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

// The device API is never cached: no cacheConfiguration.
resource apiRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-04-15' = if (enableApiRoute) {
  parent: endpoint
  name: 'api'
  properties: {
    originGroup: {
      id: apiOriginGroup.id
    }
    patternsToMatch: [
      '/api/*'
    ]
    supportedProtocols: [
      'Http'
      'Https'
    ]
    httpsRedirect: 'Enabled'
    forwardingProtocol: 'HttpsOnly'
    linkToDefaultDomain: 'Enabled'
    enabledState: 'Enabled'
  }
  dependsOn: [
    apiOrigin
    bundlesRoute // routes of one endpoint are created one after the other
  ]
}

@description('Host name of the endpoint, e.g. {endpoint}-{hash}.z01.azurefd.net.')
output endpointHostName string = endpoint.properties.hostName

@description('Name of the profile.')
output profileName string = profile.name
