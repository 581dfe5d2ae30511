# agentwatch image: one image, the role is the command (collector | detectors | migrate | up).
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -Dmaven.test.skip=true package

FROM eclipse-temurin:25-jre
RUN useradd --system --home /var/lib/agentwatch --create-home agentwatch
WORKDIR /var/lib/agentwatch
COPY --from=build /src/cli/target/agentwatch-cli.jar /opt/agentwatch/agentwatch-cli.jar
COPY --from=build /src/cli/target/lib /opt/agentwatch/lib
USER agentwatch
ENV AGENTWATCH_DATA_DIR=/var/lib/agentwatch/data
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", \
            "-Dagentwatch.log.file=/var/lib/agentwatch/agentwatch.log", "-jar", "/opt/agentwatch/agentwatch-cli.jar"]
CMD ["help"]
