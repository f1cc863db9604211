// Värn on Azure: App Service (Linux, Node 24), a user-assigned managed identity that is the bot's identity
// and reads Key Vault, the Azure Bot with the Teams channel, Key Vault, Log Analytics + Application Insights.
// No Storage account: the service keeps its records in SharePoint.
@maxLength(20)
@minLength(4)
@description('Used to name the resources, e.g. varn-prod')
param resourceBaseName string

@description('Azure region; Sweden Central keeps the service in Sweden')
param location string = 'swedencentral'

@description('App Service plan SKU (B1 or higher: Always On needs it)')
param webAppSku string = 'B1'

@description('Azure Bot SKU')
@allowed(['F0', 'S1'])
param botSku string = 'S1'

@description('Display name of the bot')
param botDisplayName string = 'Värn'

@description('The tab SSO app registration (client id)')
param tabClientId string

@description('The Graph app registration (client id) that reads the SharePoint site')
param graphClientId string

@description('The SharePoint site, e.g. https://contoso.sharepoint.com/sites/varn')
param sharePointSite string

@description('Path of the Graph app certificate on the web app (loaded from Key Vault into App Service)')
param graphCertificatePath string = '/var/ssl/private/varn-graph.pem'

@description('Optional Azure OpenAI endpoint (empty: no generative answers); its key is read from Key Vault')
param azureOpenAiEndpoint string = ''

var tenantId = subscription().tenantId
var keyVaultName = '${resourceBaseName}-kv'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-ai'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

// Key Vault Secrets User for the managed identity: reads secrets, nothing else
resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: { name: webAppSku }
  properties: {
    reserved: true
  }
}

resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|24-lts'
      alwaysOn: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      appCommandLine: 'npm start'
      appSettings: concat([
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppTenantId', value: tenantId }
        { name: 'VARN_PUBLIC_URL', value: 'https://${resourceBaseName}.azurewebsites.net' }
        { name: 'VARN_TAB_CLIENT_ID', value: tabClientId }
        { name: 'VARN_TAB_APP_ID_URI', value: 'api://${resourceBaseName}.azurewebsites.net/${tabClientId}' }
        { name: 'VARN_GRAPH_CLIENT_ID', value: graphClientId }
        { name: 'VARN_GRAPH_TENANT_ID', value: tenantId }
        { name: 'VARN_GRAPH_CERTIFICATE_PATH', value: graphCertificatePath }
        { name: 'VARN_SHAREPOINT_SITE', value: sharePointSite }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
      ], empty(azureOpenAiEndpoint) ? [] : [
        { name: 'AZURE_OPENAI_ENDPOINT', value: azureOpenAiEndpoint }
        { name: 'AZURE_OPENAI_API_KEY', value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=azure-openai-api-key)' }
      ])
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Outputs the toolkit writes back to env/.env.<env>; never a secret
output BOT_DOMAIN string = web.properties.defaultHostName
output MicrosoftAppId string = identity.properties.clientId
output MicrosoftAppTenantId string = tenantId
output AZURE_WEBAPP_RESOURCE_ID string = web.id
output KEY_VAULT_NAME string = vault.name
