package web

func (s *Server) incentiveRoutes() []Route { return nil }
