// Values for main.bicep. azd fills AZURE_ENV_NAME and AZURE_LOCATION from its environment; the other
// variables are optional (`azd env set NAME value`, or export them before `az deployment sub create`).
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'updatefunctions')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')

// Scale to zero at idle; raise alwaysReadyHttpInstanceCount to 1+ to avoid cold starts on update checks.
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param alwaysReadyHttpInstanceCount = int(readEnvironmentVariable('ALWAYS_READY_HTTP_INSTANCES', '0'))

param eventHubPartitionCount = 4

// Secure by default: no anonymous blob access. Set BUNDLES_PUBLIC_READ=true to serve bundles through
// Front Door without signed URLs (docs/deploy.md explains the trade-off).
param bundlesPublicRead = bool(readEnvironmentVariable('BUNDLES_PUBLIC_READ', 'false'))
param enableApiRoute = bool(readEnvironmentVariable('ENABLE_API_ROUTE', 'false'))

param storageSkuName = 'Standard_LRS'

// Empty: no bootstrap key setting. Set MANAGEMENT_BOOTSTRAP_KEY to create the first management API key.
param managementBootstrapKey = readEnvironmentVariable('MANAGEMENT_BOOTSTRAP_KEY', '')
