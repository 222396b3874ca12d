// Runs after the consumer's build. basedir: the consumer project; localRepositoryPath: the isolated
// repository it resolved everything from; wsrouterVersion and the *Bom variables: from router-consumer-it's
// pom (scriptVariables). Any failed assert fails `mvn verify`.
import groovy.xml.XmlSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('QUICK START OK'): 'the quick start did not run to its end'
assert log.contains('"type":"pong"'): 'no pong in the consumer run'

def repo = localRepositoryPath
def version = wsrouterVersion
def pomOf = { String artifactId ->
    def f = new File(repo, "io/wsrouter/${artifactId}/${version}/${artifactId}-${version}.pom")
    assert f.isFile(): "${artifactId} was not installed into the isolated repository: ${f}"
    new XmlSlurper().parse(f)
}

// The published poms stand alone: no parent, no dependencyManagement, no build, only compile/runtime
// dependencies, each with its version.
['router-core', 'router-events'].each { artifactId ->
    def pom = pomOf(artifactId)
    assert pom.parent.isEmpty(): "${artifactId}'s installed pom has a parent"
    assert pom.dependencyManagement.isEmpty(): "${artifactId}'s installed pom has a dependencyManagement"
    assert pom.build.isEmpty(): "${artifactId}'s installed pom has a build section"
    assert pom.profiles.isEmpty(): "${artifactId}'s installed pom has profiles"
    pom.dependencies.dependency.each { d ->
        assert !d.version.text().isEmpty(): "${artifactId} depends on ${d.groupId}:${d.artifactId} without a version"
        assert !d.version.text().contains('${'): "${artifactId}: unresolved version ${d.version}"
        assert !(d.scope.text() in ['test', 'provided', 'import']): "${artifactId} publishes ${d.groupId}:${d.artifactId} in scope ${d.scope}"
    }
}
def coreDeps = pomOf('router-core').dependencies.dependency.collect { "${it.groupId}:${it.artifactId}".toString() } as Set
assert coreDeps == ['com.fasterxml.jackson.core:jackson-databind', 'org.slf4j:slf4j-api'] as Set: "router-core publishes ${coreDeps}"

// The BOM lists our published modules and nothing else.
def bom = pomOf('router-bom')
assert bom.parent.isEmpty(): 'router-bom has a parent'
def managed = bom.dependencyManagement.dependencies.dependency
assert managed.size() > 0
managed.each { d ->
    assert d.groupId.text() == 'io.wsrouter': "router-bom manages ${d.groupId}:${d.artifactId}"
    // Kept as written (${project.version}): an importing build reads it as the BOM's own version.
    assert d.version.text() in [version, '${project.version}']: "router-bom: ${d.artifactId} at ${d.version}"
    assert d.scope.text() != 'import': "router-bom imports ${d.artifactId}"
}
def managedIds = managed.collect { it.artifactId.text() } as Set
assert managedIds.containsAll(['router-core', 'router-events', 'router-quality', 'router-compat', 'router-jetty'])
assert managedIds.intersect(['router-testkit', 'router-tests', 'router-bench', 'router-demo', 'router-consumer-it']).isEmpty()

// What the consumer's Maven had to read: none of the build's own BOMs reached the isolated repository
// (they would be there had any installed pom pointed at them, directly or through wsrouter-parent).
// Spring, Jetty, Selenium, Mockito and AssertJ: nothing at all. JUnit's BOM is imported by the parents of
// Maven's own plugins (other versions), so only the build's version is checked.
['org/springframework', 'org/eclipse/jetty', 'org/seleniumhq', 'org/mockito', 'org/assertj'].each { path ->
    assert !new File(repo, path).exists(): "the consumer's build pulled ${path} into its repository"
}
[["org/springframework/spring-framework-bom", springBom], ["org/eclipse/jetty/jetty-bom", jettyBom],
 ["org/seleniumhq/selenium/selenium-bom", seleniumBom], ["org/junit/junit-bom", junitBom],
 ["org/mockito/mockito-bom", mockitoBom], ["org/assertj/assertj-bom", assertjBom]].each { path, v ->
    assert !new File(repo, "${path}/${v}").exists(): "the consumer's build read the build's BOM ${path}:${v}"
}
return true
